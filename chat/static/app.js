// Ridgeline's chat page: plain JS, no build step. It speaks the same protocol as the reference
// sample's frontend: POST /chat/stream (NDJSON) or /chat, GET /content/<name>.
"use strict";

const $ = (id) => document.getElementById(id);
const conversation = [];  // {role, content} turns sent back with each question
let attachedImage = null;  // a data: URL

const CITATION = /\[([^\[\]\n]+?\.[A-Za-z0-9]{1,8}(?:#[^\[\]\n()]*)?(?:\([^\[\]\n]*\))?)\]/g;

function headers(json = true) {
  const h = {};
  if (json) h["Content-Type"] = "application/json";
  const key = $("api_key").value.trim();
  if (key) h["Authorization"] = `Bearer ${key}`;
  const user = $("user").value.trim();
  if (user) h["X-Ridgeline-User"] = user;
  return h;
}

function overrides() {
  const o = {
    retrieval_mode: $("retrieval_mode").value,
    top: Number($("top").value) || 5,
    suggest_followup_questions: $("followups").checked,
  };
  const category = $("include_category").value.trim();
  if (category) o.include_category = category;
  return o;
}

function contentUrl(name) {
  // Images come as URLs already (/content/... or data:); a citation is a name:
  // "manual.pdf#page=4" -> /content/manual.pdf (the page is a fragment, not a file).
  if (name.startsWith("/content/") || name.startsWith("data:image/")) return name;
  const [file] = name.split("#");
  return "/content/" + file.split("/").map(encodeURIComponent).join("/");
}

async function fetchBlobUrl(name) {
  const response = await fetch(contentUrl(name), { headers: headers(false) });
  if (!response.ok) throw new Error(`${name}: ${response.status}`);
  return URL.createObjectURL(await response.blob());
}

async function openSource(name) {
  const preview = $("preview");
  preview.hidden = false;
  $("preview-title").textContent = name;
  try {
    const url = await fetchBlobUrl(name);
    const page = name.match(/#page=(\d+)/);
    const isImage = name.startsWith("data:image/") ||
      /\.(png|jpe?g|gif|webp|bmp)$/i.test(name.split("#")[0]);
    $("preview-image").hidden = !isImage;
    $("preview-frame").hidden = isImage;
    if (isImage) $("preview-image").src = url;
    else $("preview-frame").src = page ? `${url}#page=${page[1]}` : url;
    preview.dataset.loaded = name;
  } catch (error) {
    $("preview-title").textContent = `Could not open ${name} (${error.message})`;
  }
}

function renderAnswer(element, text) {
  element.textContent = "";
  let last = 0;
  for (const match of text.matchAll(CITATION)) {
    element.append(text.slice(last, match.index));
    const button = document.createElement("button");
    button.type = "button";
    button.className = "citation";
    button.textContent = match[1];
    button.addEventListener("click", () => openSource(match[1]));
    element.append(button);
    last = match.index + match[0].length;
  }
  element.append(text.slice(last));
}

function addTurn(role, text) {
  const turn = document.createElement("div");
  turn.className = `turn ${role}`;
  const body = document.createElement("div");
  body.className = "text";
  body.textContent = text;
  turn.append(body);
  $("log").append(turn);
  turn.scrollIntoView({ block: "end" });
  return turn;
}

async function showThumbnails(turn, names) {
  if (!names || !names.length) return;
  const strip = document.createElement("div");
  strip.className = "thumbs";
  turn.append(strip);
  for (const name of names) {
    try {
      const img = document.createElement("img");
      img.className = "thumb";
      img.alt = name.startsWith("data:") ? "source image" : name;
      img.src = await fetchBlobUrl(name);
      img.addEventListener("click", () => openSource(name));
      strip.append(img);
    } catch (error) { /* an image that cannot be served is left out */ }
  }
}

function showFollowups(turn, questions) {
  if (!questions || !questions.length) return;
  const box = document.createElement("div");
  box.className = "followups";
  for (const question of questions) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = question;
    button.addEventListener("click", () => { $("question").value = question; ask(); });
    box.append(button);
  }
  turn.append(box);
}

function userMessage(text) {
  if (!attachedImage) return { role: "user", content: text };
  return {
    role: "user",
    content: [
      { type: "text", text },
      { type: "image_url", image_url: { url: attachedImage } },
    ],
  };
}

async function readStream(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) onEvent(JSON.parse(line));
    }
    if (done) break;
  }
  if (buffer.trim()) onEvent(JSON.parse(buffer));
}

async function ask() {
  const question = $("question").value.trim();
  if (!question && !attachedImage) return;
  const message = userMessage(question);
  addTurn("user", question || "(image)");
  const turn = addTurn("assistant", "…");
  const textElement = turn.querySelector(".text");
  const body = { messages: [...conversation, message], context: { overrides: overrides() } };
  $("question").value = "";
  clearAttachment();
  $("send").disabled = true;
  let answer = "";
  let deltas = 0;
  const onEvent = (event) => {
    if (event.error) throw new Error(event.error);
    if (event.type === "response.output_text.delta") {
      answer += event.delta;
      deltas += 1;
      turn.dataset.deltas = String(deltas);
      renderAnswer(textElement, answer);
    } else if (event.type === "response.context") {
      if (deltas === 0) showThumbnails(turn, event.context.data_points.images);
      else showFollowups(turn, event.context.followup_questions);
    }
  };
  try {
    const stream = $("stream").checked;
    const response = await fetch(stream ? "/chat/stream" : "/chat", {
      method: "POST", headers: headers(), body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error((await response.json()).error || response.statusText);
    if (stream) {
      await readStream(response, onEvent);
    } else {
      const result = await response.json();
      showThumbnails(turn, result.context.data_points.images);
      onEvent({ type: "response.output_text.delta", delta: result.output_text });
      showFollowups(turn, result.context.followup_questions);
    }
    turn.dataset.done = "true";
    conversation.push(message, { role: "assistant", content: answer });
  } catch (error) {
    turn.classList.add("error");
    textElement.textContent = `Error: ${error.message}`;
  } finally {
    $("send").disabled = false;
  }
}

function clearAttachment() {
  attachedImage = null;
  $("image").value = "";
  $("attachment").hidden = true;
}

$("image").addEventListener("change", () => {
  const file = $("image").files[0];
  if (!file) return clearAttachment();
  const reader = new FileReader();
  reader.onload = () => {
    attachedImage = reader.result;
    $("attachment-thumb").src = attachedImage;
    $("attachment").hidden = false;
  };
  reader.readAsDataURL(file);
});
$("attachment-remove").addEventListener("click", clearAttachment);
$("preview-close").addEventListener("click", () => { $("preview").hidden = true; });
$("question").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); ask(); }
});
$("ask").addEventListener("submit", (event) => { event.preventDefault(); ask(); });
$("question").required = false;  // an image alone is a question too
