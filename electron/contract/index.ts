export * from "./api.ts";
export * from "./result.ts";
export * from "./validate.ts";
export * from "./preload-api.ts";
export * from "./bridge-wire.ts";
