import { parseArgs } from "node:util";
import type { Command } from "../command.ts";
import { openStore } from "../local-store.ts";
import { pushModel } from "../../runner/distribution/push-model.ts";
import type { PackageFormat } from "../../runner/distribution/packaging/artifact.ts";
import { importGguf } from "../../runner/distribution/packaging/package-model.ts";

export const packageCommand: Command = {
  name: "package",
  usage:
    "package --gguf FILE [--license F]... [--chat-template F] [--mmproj F] [--context-size N] [--format docker|cncf] [--push] REF\n" +
    "                                package a GGUF as a model artifact (into the store; --push uploads it)",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        gguf: { type: "string" },
        license: { type: "string", multiple: true },
        "chat-template": { type: "string" },
        mmproj: { type: "string" },
        "context-size": { type: "string" },
        format: { type: "string" },
        push: { type: "boolean" },
      },
    });
    if (!values.gguf || positionals.length !== 1)
      throw new Error("usage: hangar package --gguf FILE [...] REF");
    const format = (values.format ?? "docker") as PackageFormat;
    if (format !== "docker" && format !== "cncf")
      throw new Error(`--format must be docker or cncf (got ${values.format})`);
    const contextSize = values["context-size"] === undefined ? null : Number(values["context-size"]);
    const store = openStore();
    const model = await importGguf(store, values.gguf, positionals[0]!, {
      licenses: values.license ?? [],
      chatTemplate: values["chat-template"] ?? null,
      mmproj: values.mmproj ?? null,
      contextSize,
      format,
      modelFormat: format,
    });
    console.log(`packaged ${model.ref} ${model.digest}`);
    if (values.push) {
      const r = await pushModel(store, model.ref);
      console.log(
        `pushed ${r.ref}: ${r.blobs.uploaded} uploaded, ${r.blobs.exists} already there, ${r.blobs.mounted} mounted`,
      );
    }
    return 0;
  },
};
