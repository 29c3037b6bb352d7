export { validateCatalogFile, CatalogFileError } from "./catalog-file.ts";
export type { CatalogFile, CuratedModel, CuratedVariant, CuratedRefs, CatalogKind } from "./catalog-file.ts";
export { curatedModels, toCatalogEntry, searchCatalog, search } from "./search.ts";
export type { CombinedSearchOptions } from "./search.ts";
export { createCatalogService, estimateFromSize } from "./catalog-service.ts";
export type { CatalogService, CatalogServiceOptions } from "./catalog-service.ts";
