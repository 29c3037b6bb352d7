/** Media types Hangar reads and writes (FORMATS.md lists the sources). */

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export const DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
export const MANIFEST_ACCEPT = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST].join(", ");

// Docker model artifact (docker/model-runner pkg/distribution/types).
export const DOCKER_MODEL_CONFIG = "application/vnd.docker.ai.model.config.v0.1+json";
export const DOCKER_GGUF = "application/vnd.docker.ai.gguf.v3";
export const DOCKER_LICENSE = "application/vnd.docker.ai.license";
export const DOCKER_CHAT_TEMPLATE = "application/vnd.docker.ai.chat.template.jinja";
export const DOCKER_MMPROJ = "application/vnd.docker.ai.mmproj";
/** The draft model-spec's name for the projector; accepted on read. */
export const DOCKER_MMPROJ_DRAFT = "application/vnd.docker.ai.gguf.v3.mmproj";

// CNCF ModelPack (modelpack/model-spec specs-go/v1/mediatype.go).
export const CNCF_ARTIFACT = "application/vnd.cncf.model.manifest.v1+json";
export const CNCF_CONFIG = "application/vnd.cncf.model.config.v1+json";
export const CNCF_GGUF = "application/vnd.cncf.model.weight.v1.gguf";
export const CNCF_LICENSE = "application/vnd.cncf.model.doc.v1.tar";
export const CNCF_CHAT_TEMPLATE = "application/vnd.cncf.model.weight.config.v1.raw";

// Ollama (ollama/ollama server/images.go).
export const OLLAMA_CONFIG = "application/vnd.docker.container.image.v1+json";
export const OLLAMA_PREFIX = "application/vnd.ollama.image.";
export const OLLAMA_MODEL = "application/vnd.ollama.image.model";
export const OLLAMA_TEMPLATE = "application/vnd.ollama.image.template";
export const OLLAMA_PARAMS = "application/vnd.ollama.image.params";
export const OLLAMA_SYSTEM = "application/vnd.ollama.image.system";
export const OLLAMA_LICENSE = "application/vnd.ollama.image.license";
export const OLLAMA_PROJECTOR = "application/vnd.ollama.image.projector";
