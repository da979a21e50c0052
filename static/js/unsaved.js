// A form marked data-warn-unsaved warns before the page is left while what it holds differs from
// what it held when the page was loaded; sending the form itself is not leaving it unsaved. A form
// shown again after a refused save (data-warn-unsaved="refused") holds unsaved entries from the
// start.
(function () {
  "use strict";
  const forms = Array.from(document.querySelectorAll("form[data-warn-unsaved]"));
  if (!forms.length) return;

  function contents(form) {
    const values = [];
    for (const [name, value] of new FormData(form)) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") values.push(name + "=" + value);
    }
    return values.join("&");
  }

  const loaded = new Map(forms.map((form) => [form, contents(form)]));
  let sending = null;

  // Listening on the document, after confirm.js: a submission it cancelled is not a sending.
  document.addEventListener("submit", (event) => {
    if (loaded.has(event.target) && !event.defaultPrevented) sending = event.target;
  });

  window.addEventListener("beforeunload", (event) => {
    const changed = forms.some(
      (form) =>
        form !== sending &&
        (form.dataset.warnUnsaved === "refused" || contents(form) !== loaded.get(form)),
    );
    if (changed) {
      event.preventDefault();
      event.returnValue = ""; // older browsers show their own wording; none lets us set it
    }
  });
})();
