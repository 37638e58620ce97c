// Exports for the field's tools: events (PLOVER JSON, GDELT-style TSV), attributions (JSONL, brat),
// the position matrix (CSV). Each row carries its article id and offsets.
export { eventsToPlover, eventsToGdeltRows, eventsToGdeltTsv, GDELT_COLUMNS, PARLEY_COLUMNS, type PloverRecord } from './events.js';
export { attributionRows, attributionsToJsonl, toBrat, parseBrat, bratFragments, type AttributionRow } from './attributions.js';
export { positionMatrixToCsv, csvField, csvLine, POSITION_CSV_COLUMNS } from './csv.js';
export { loadPloverMeta, cameoCode, type PloverMeta } from './plover-meta.js';
