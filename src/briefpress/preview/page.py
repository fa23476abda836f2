"""The preview page: every edition side by side, redrawn from server-sent events."""

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>briefpress preview</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #eceff3; color: #1c2430; }
  header { padding: 8px 16px; background: #1c2430; color: #fff; display: flex; gap: 16px;
           align-items: baseline; }
  header h1 { font-size: 16px; margin: 0; }
  #status { color: #b9c3d0; }
  #error { display: none; margin: 12px 16px; padding: 10px 14px; background: #fde8e8;
           border: 1px solid #c0392b; color: #7b1d14; white-space: pre-wrap; font: 13px/1.5 monospace; }
  #error.shown { display: block; }
  #editions { display: flex; gap: 16px; padding: 16px; overflow-x: auto; align-items: flex-start; }
  .edition { flex: 0 0 auto; width: 300px; background: #fff; border-radius: 6px; padding: 10px;
             box-shadow: 0 1px 3px rgba(0,0,0,.15); }
  .edition h2 { font-size: 15px; margin: 0 0 6px; }
  .left-out { font-size: 12px; color: #555; margin: 0 0 8px; padding-inline-start: 18px; }
  .left-out.none { list-style: none; padding: 0; }
  .document h3 { font-size: 13px; margin: 10px 0 4px; color: #38485c; }
  .document img { display: block; width: 100%; margin-bottom: 6px; border: 1px solid #ccd3dc; }
</style>
</head>
<body>
<header><h1>briefpress preview: <span id="publication"></span></h1><span id="status">loading</span></header>
<pre id="error" role="alert"></pre>
<main id="editions"></main>
<script>
"use strict";
const editions = document.getElementById("editions");

function element(tag, attributes, text) {
  const made = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) made.setAttribute(name, value);
  if (text !== undefined) made.textContent = text;
  return made;
}

function column(edition) {
  let box = document.getElementById("edition-" + edition.audience);
  if (!box) {
    box = element("section", {class: "edition", id: "edition-" + edition.audience});
    box.append(element("h2", {}, edition.audience), element("ul", {class: "left-out"}));
  }
  const list = box.querySelector(".left-out");
  list.replaceChildren(...(edition.left_out.length ? edition.left_out : ["leaves out no tagged block"])
    .map(text => element("li", {}, edition.left_out.length ? "leaves out " + text : text)));
  list.classList.toggle("none", !edition.left_out.length);
  const shown = new Set(edition.documents.map(doc => "doc-" + edition.audience + "-" + doc.document));
  box.querySelectorAll(".document").forEach(part => { if (!shown.has(part.id)) part.remove(); });
  for (const doc of edition.documents) {
    const id = "doc-" + edition.audience + "-" + doc.document;
    let part = document.getElementById(id);
    if (!part) {
      part = element("div", {class: "document", id: id});
      part.append(element("h3"));
      box.append(part);
    }
    const took = doc.seconds === null ? "" : " (" + doc.seconds + " s)";
    part.querySelector("h3").textContent = doc.document + took;
    const images = Array.from(part.querySelectorAll("img"));
    doc.pages.forEach((source, index) => {
      let image = images[index];
      if (!image) {
        image = element("img", {alt: edition.audience + " " + doc.document + " page " + (index + 1)});
        part.append(image);
      }
      if (image.getAttribute("src") !== source) image.setAttribute("src", source);
    });
    images.slice(doc.pages.length).forEach(image => image.remove());
  }
  return box;
}

async function refresh() {
  const state = await (await fetch("/state", {cache: "no-store"})).json();
  document.getElementById("publication").textContent = state.publication;
  document.getElementById("status").textContent = state.busy ? "drawing"
    : state.error ? "not redrawn: the pages are those of the last good save"
    : "up to date (" + state.version + ")";
  const error = document.getElementById("error");
  error.textContent = state.error || "";
  error.classList.toggle("shown", !!state.error);
  const boxes = state.editions.map(column);
  editions.replaceChildren(...boxes);
  document.body.dataset.version = state.version;
}

const events = new EventSource("/events");
events.onmessage = () => refresh();
refresh();
</script>
</body>
</html>
"""
