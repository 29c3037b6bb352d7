/* global window, document */
// Streams a chat completion from the Hangar runner named in config.js (OpenAI-compatible API, SSE).
// A browser may read the answer because the runner lists this page's origin in HANGAR_CORS_ORIGINS.
const config = window.HANGAR_CONFIG ?? {};
const reply = document.getElementById("reply");
document.getElementById("target").textContent = `Runner: ${config.url}, model: ${config.model}`;

async function ask(prompt) {
  reply.classList.remove("error");
  reply.textContent = "";
  const res = await fetch(`${config.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${config.key}` },
    body: JSON.stringify({
      model: config.model,
      stream: true,
      max_tokens: 64,
      messages: [{ role: "user", content: prompt }],
    }),
  });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    const events = buffered.split("\n\n");
    buffered = events.pop();
    for (const event of events) {
      const data = event.replace(/^data: /, "");
      if (data === "[DONE]") return;
      const chunk = JSON.parse(data);
      if (chunk.error) throw new Error(chunk.error.message);
      reply.textContent += chunk.choices[0]?.delta?.content ?? "";
    }
  }
}

document.getElementById("ask").addEventListener("submit", (event) => {
  event.preventDefault();
  const prompt = document.getElementById("prompt").value;
  ask(prompt).catch((error) => {
    reply.classList.add("error");
    reply.textContent = `Could not reach the runner: ${error.message}`;
  });
});
