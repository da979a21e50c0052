// Polls an import's status while the worker reads the sheet; reloads the page when it is done.
(function () {
  const box = document.getElementById("import-progress");
  if (!box) return;
  const bar = box.querySelector(".progress-bar");
  const text = box.querySelector("[data-progress-text]");
  async function poll() {
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      const status = await response.json();
      if (status.finished) { window.location.reload(); return; }
      bar.style.width = status.percent + "%";
      if (status.rows_done) text.textContent = status.rows_done + (status.rows_total ? " / " + status.rows_total : "");
    } catch (error) { /* a missed poll is retried */ }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 500);
})();
