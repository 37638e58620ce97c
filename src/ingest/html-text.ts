// DOM → plain text the way a reader sees it: one paragraph per block element, paragraphs separated
// by a blank line, inline whitespace collapsed, <pre> kept verbatim.

/** Elements that start a new paragraph in the plain-text rendering. */
const BLOCK = new Set(
  'P DIV H1 H2 H3 H4 H5 H6 LI UL OL DL DT DD BLOCKQUOTE PRE TABLE THEAD TBODY TFOOT TR SECTION ARTICLE HEADER FOOTER FIGURE FIGCAPTION MAIN ASIDE ADDRESS HR NAV FORM FIELDSET DETAILS SUMMARY CENTER'.split(
    ' ',
  ),
);
/** Elements whose content is never text a reader sees. */
const SKIP = new Set('SCRIPT STYLE NOSCRIPT TEMPLATE SVG CANVAS IFRAME OBJECT EMBED HEAD BUTTON SELECT TEXTAREA INPUT'.split(' '));

interface MinimalNode {
  nodeType: number;
  nodeName: string;
  nodeValue?: string | null;
  childNodes: ArrayLike<MinimalNode>;
}

/** Plain text of a DOM subtree: paragraphs separated by "\n\n", lines inside a paragraph by "\n". */
export function domToText(root: unknown): string {
  const paras: string[] = [];
  let cur = '';
  const flush = (): void => {
    const t = cur.replace(/[ \t\f\r\u00a0]*\n[ \t\f\r\u00a0]*/g, '\n').replace(/[ \t\f\r\u00a0]+/g, ' ').trim();
    if (t) paras.push(t);
    cur = '';
  };
  const walk = (node: MinimalNode, pre: boolean): void => {
    if (node.nodeType === 3) {
      const v = node.nodeValue ?? '';
      cur += pre ? v.replace(/\n/g, '\u0000') : v.replace(/\s+/g, ' ');
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const name = node.nodeName.toUpperCase();
    if (SKIP.has(name)) return;
    if (name === 'BR') {
      cur += '\n';
      return;
    }
    const block = BLOCK.has(name);
    if (block) flush();
    const kids = node.childNodes;
    const isPre = pre || name === 'PRE';
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      walk(k, isPre);
      // Table cells sit side by side on one line.
      if (k.nodeType === 1 && (k.nodeName === 'TD' || k.nodeName === 'TH')) cur += ' ';
    }
    if (block) flush();
  };
  walk(root as MinimalNode, false);
  flush();
  return paras.map((p) => p.replace(/\u0000/g, '\n')).join('\n\n');
}
