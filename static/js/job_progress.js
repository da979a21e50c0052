// Polls a background job's status (an import, a report) while the worker runs it; reloads the
// page when it has finished. The box carries data-job-progress and data-status-url.
(function () {
  const box = document.querySelector("[data-job-progress]");
  if (!box) return;
  const bar = box.querySelector(".progress-bar");
  const text = box.querySelector("[data-progress-text]");
  async function poll() {
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      const status = await response.json();
      if (status.finished) { window.location.reload(); return; }
      bar.style.width = status.percent + "%";
      if (status.step) text.textContent = status.step;
      else if (status.rows_done) text.textContent = status.rows_done + (status.rows_total ? " / " + status.rows_total : "");
    } catch (error) { /* a missed poll is retried */ }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 500);
})();
