// Print a PDF's text as pdf.js (Firefox's reader) copies it: a JSON array, one string per page.
//
// Usage: node extract.mjs FILE.pdf
//        node extract.mjs FILE.pdf FILE.pdf ...   (a JSON object: each path to its array)
//
// Each page's text is built as Firefox's viewer builds it for "select all, copy" and for find:
// the page's getTextContent() items, each item's string in turn, a newline after an item that
// ends a line (hasEOL). pdf.js itself runs the bidi algorithm on each item and inserts the
// space items it infers from glyph gaps; nothing is reordered or cleaned here.
import { readFile } from "node:fs/promises";
import { getDocument, VerbosityLevel } from "pdfjs-dist/legacy/build/pdf.mjs";

async function pages(path) {
  const data = new Uint8Array(await readFile(path));
  const document = await getDocument({
    data,
    verbosity: VerbosityLevel.ERRORS,
    disableFontFace: true,
    useSystemFonts: false,
    isEvalSupported: false,
  }).promise;
  const texts = [];
  try {
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const { items } = await page.getTextContent();
      const buffer = [];
      for (const item of items) {
        if (item.str) buffer.push(item.str);
        if (item.hasEOL) buffer.push("\n");
      }
      texts.push(buffer.join("").replaceAll("\0", ""));
      page.cleanup();
    }
  } finally {
    await document.destroy();
  }
  return texts;
}

const paths = process.argv.slice(2);
if (!paths.length) {
  process.stderr.write("usage: node extract.mjs FILE.pdf [FILE.pdf ...]\n");
  process.exit(2);
}
const texts = {};
for (const path of paths) {
  try {
    texts[path] = await pages(path);
  } catch (error) {
    process.stderr.write(`pdf.js could not read ${path}: ${error.message}\n`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(paths.length === 1 ? texts[paths[0]] : texts));
