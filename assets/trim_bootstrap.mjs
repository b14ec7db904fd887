// `make css`: the vendored Bootstrap (assets/bootstrap/bootstrap.min.css, the full build) trimmed
// to the rules whose selectors name only words the pages use (assets/bootstrap_usage.py prints
// them; this script reads them on stdin), written to static/vendor/bootstrap/bootstrap.min.css.
// PurgeCSS also drops the custom properties, keyframes and font faces nothing uses, except the
// custom properties that our own site.css reads (its var(--bs-...)).
import { readFileSync, writeFileSync } from "node:fs";
import { PurgeCSS } from "purgecss";

const here = new URL(".", import.meta.url);
const full = new URL("bootstrap/bootstrap.min.css", here);
const siteCss = readFileSync(new URL("../static/screening/site.css", here), "utf8");
const out = new URL("../static/vendor/bootstrap/bootstrap.min.css", here);

const words = readFileSync(0, "utf8").split(/\s+/).filter(Boolean);
const readBySite = [...siteCss.matchAll(/var\((--bs-[\w-]+)/g)].map((m) => m[1]);

const [result] = await new PurgeCSS().purge({
  content: [{ raw: words.join(" "), extension: "html" }],
  css: [full.pathname],
  variables: true,
  keyframes: true,
  fontFace: true,
  safelist: { variables: readBySite },
});

const banner = readFileSync(full, "utf8").match(/\/\*![\s\S]*?\*\//)[0];
const note = "/* Trimmed by `make css` (assets/trim_bootstrap.mjs) to the classes the pages use: edit nothing here. */";
const css = result.css.startsWith("@charset") ? result.css.replace(/^@charset "UTF-8";/, "") : result.css;
writeFileSync(out, `@charset "UTF-8";${banner}\n${note}\n${css.replace(/\/\*![\s\S]*?\*\//, "").trim()}\n`);
console.log(`${out.pathname}: ${Buffer.byteLength(readFileSync(out))} bytes`);
