// Progress of a background job: poll its JSON until it finishes, then reload to show the result.
(function () {
  const panel = document.querySelector("[data-job-status-url]");
  if (!panel || ["succeeded", "failed"].includes(panel.dataset.jobStatus)) return;
  const bar = panel.querySelector(".job-progress");
  const done = panel.querySelector(".job-done");
  const total = panel.querySelector(".job-total");
  async function poll() {
    try {
      const response = await fetch(panel.dataset.jobStatusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const job = await response.json();
        bar.value = job.percent;
        bar.textContent = job.percent + "%";
        done.textContent = job.progress_done;
        total.textContent = job.progress_total;
        if (job.is_finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // A dropped poll is retried on the next tick.
    }
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 500);
})();
