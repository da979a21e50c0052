// The fill page's evidence upload, sent in the background: the page is not reloaded, so progress
// typed but not yet saved stays in the report form. The server answers JSON with its message and
// the evidence list as it is now. Without JavaScript the form posts and the page reloads.
(function () {
  "use strict";
  const form = document.querySelector("form[data-evidence-upload]");
  if (!form || !window.fetch) return;
  const list = document.querySelector("[data-testid=evidence-list]");
  const box = document.querySelector("[data-testid=evidence-message]");

  function show(ok, text) {
    // The page's earlier success banner ("saved") is old news now: one success on screen.
    document.querySelectorAll("main > .alert-success.alert-dismissible").forEach((old) => old.remove());
    box.replaceChildren();
    const alert = document.createElement("div");
    alert.className = "alert py-2 alert-" + (ok ? "success" : "danger");
    alert.setAttribute("role", ok ? "status" : "alert");
    alert.textContent = text;
    box.append(alert);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest", "X-CSRFToken": token },
      });
      const answer = await response.json();
      if (answer.html !== undefined) list.innerHTML = answer.html;
      show(answer.ok, answer.message);
      if (answer.ok) form.reset();
    } catch (error) {
      show(false, form.dataset.failed);
    } finally {
      button.disabled = false;
    }
  });
})();
