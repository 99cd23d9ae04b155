// The SPARQL page: choosing a saved question loads it at once (without JavaScript the
// <noscript> Load button does the same). A file, not an onchange="" attribute, because
// the Content-Security-Policy runs no inline script.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const examples = document.getElementById("examples");
  if (!examples) return;
  examples.addEventListener("change", () => {
    examples.form.elements.query.value = "";
    examples.form.submit();
  });
});
