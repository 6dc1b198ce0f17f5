// Where the engine's wasm comes from. Served as a site, the glue fetches pkg/plateau_bg.wasm
// itself (undefined here); the single-file build (`cargo xtask dist --single-file`) swaps this
// module for one that holds the wasm bytes, so the page also works opened from disk.
export const wasmSource = undefined;
