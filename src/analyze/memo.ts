// A bounded memo for pure string functions on hot paths (name keys, slugs, word shapes): words and
// names recur across articles, so most calls are answered from the map. The map restarts when it
// reaches `max` entries, which keeps memory flat over an endless stream; outputs never depend on
// what is cached, only the time does.
export function boundedMemo<V>(fn: (s: string) => V, max = 50_000): (s: string) => V {
  const cache = new Map<string, V>();
  return (s: string): V => {
    let v = cache.get(s);
    if (v !== undefined) return v;
    if (cache.size >= max) cache.clear();
    v = fn(s);
    cache.set(s, v);
    return v;
  };
}
