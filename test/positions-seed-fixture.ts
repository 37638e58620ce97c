// The reference article's actors and attributions built by hand (as EXPECTED.md lists them), so
// the positions stage can be checked on it independently of the actor and quote stages.
import type { Actor, Quote } from '../src/analyze/types.js';
import { actor, quote } from './positions-helpers.js';

export function seedFixture(text: string): { actors: Actor[]; quotes: Quote[] } {
  const titled = (a: Actor, title: string): Actor => ({ ...a, title });
  const actors = [
    titled(actor(text, 'zel', 'Volodymyr Zelenskyy', 'person', 'UKR', ['Volodymyr Zelenskyy', 'Zelenskyy ', 'Zelenskyy,', 'The Ukrainian leader', 'He stressed', 'He warned', 'he termed']), 'President'),
    titled(actor(text, 'trump', 'Donald Trump', 'person', 'USA', ['Donald Trump', 'President Trump']), 'President'),
    titled(actor(text, 'lavrov', 'Sergei Lavrov', 'person', 'RUS', ['Sergei Lavrov', 'Lavrov cautioned']), 'Foreign Minister'),
    titled(actor(text, 'putin', 'Vladimir Putin', 'person', 'RUS', ['President Putin']), 'President'),
    titled(actor(text, 'leavitt', 'Karoline Leavitt', 'person', 'USA', ['Karoline Leavitt', 'She described']), 'press secretary'),
    actor(text, 'dipl', 'a Ukrainian diplomat', 'person', 'UKR', ['A Ukrainian diplomat', 'the diplomat']),
    actor(text, 'uaoff', 'Ukrainian officials', 'group', 'UKR', ['Ukrainian officials have']),
    actor(text, 'UKR', 'Ukraine', 'country', 'UKR', ['Ukraine', 'Kyiv']),
    actor(text, 'RUS', 'Russia', 'country', 'RUS', ['Russia', 'Moscow']),
    actor(text, 'USA', 'United States', 'country', 'USA', ['White House', 'Trump administration']),
    actor(text, 'EUR', 'Europe', 'group', undefined, ['European allies', 'European leaders', 'Europe']),
  ];
  const q = (k: Quote['kind'], s: string, src: string, cue: string, content: string, extra: string[] = []) => quote(text, k, s, src, cue, content, extra);
  const quotes = [
    q('indirect', 'zel', 'Volodymyr Zelenskyy', 'announced', 'Kyiv is prepared to advance a United States-supported framework for ending the ongoing conflict with Russia'),
    q('indirect', 'zel', 'The Ukrainian leader', 'expressed willingness', 'to discuss disputed points directly with US President Donald Trump while emphasizing the essential role of European allies in the negotiation process'),
    q('indirect', 'zel', 'Zelenskyy strongly', 'advocated', 'for European leaders to develop a comprehensive framework for deploying what he termed a "reassurance force" to Ukraine'),
    q('mixed', 'zel', 'he termed', 'termed', '"reassurance force"'),
    q('indirect', 'zel', 'He stressed', 'stressed', 'the importance of continued international support for Kyiv as long as Moscow demonstrates no genuine intention to end its invasion'),
    q('direct', 'zel', 'Zelenskyy declared', 'declared', '"We firmly believe security decisions about Ukraine must include Ukraine, security decisions about Europe must include Europe,"'),
    q('indirect', 'zel', 'He warned', 'warned', 'decisions made without involving the concerned nations and their people carry significant risks of failure'),
    q('indirect', 'uaoff', 'Ukrainian officials', 'raised concerns', 'about being pressured into accepting an agreement largely favoring Russian terms, particularly regarding territorial concessions'),
    q('indirect', 'dipl', 'A Ukrainian diplomat', 'confirmed', 'territorial concessions remain a major obstacle in the negotiations, indicating that a final agreement is far from guaranteed despite progress on various specific issues'),
    q('direct', 'dipl', 'the diplomat', 'acknowledged', '"These are really tough questions for us,"'),
    q('indirect', 'trump', 'President Trump', 'expressed optimism', 'about reaching a settlement'),
    q('direct', 'trump', 'President Trump', 'stating', '"We\'re going to get there"'),
    q('mixed', 'lavrov', 'Sergei Lavrov', 'emphasized', 'any amended peace plan must reflect both the "spirit and letter" of the understanding reached between President Putin and President Trump during their Alaska summit'),
    q('indirect', 'lavrov', 'Lavrov', 'cautioned', 'deviation from the Anchorage agreements would create a fundamentally different situation'),
    q('mixed', 'leavitt', 'Karoline Leavitt', 'confirmed', 'significant progress toward a peace agreement', ['"tremendous progress" has been made in bringing both Ukraine and Russia to the negotiating table']),
    q('mixed', 'leavitt', 'She', 'described', 'remaining issues as "delicate, but not insurmountable" details requiring further trilateral discussions'),
  ];
  return { actors, quotes };
}
