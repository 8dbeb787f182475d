// Updates a report's progress bar without reloading, then shows the downloads when it is ready.
(function () {
  var box = document.querySelector("[data-status-url]");
  if (!box) { return; }
  var bar = box.querySelector(".progress-bar");
  var label = box.querySelector("[data-testid=run-state]");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        bar.style.width = status.progress + "%";
        bar.textContent = status.progress + "%";
        bar.parentNode.setAttribute("aria-valuenow", status.progress);
        label.textContent = status.label;
        if (status.state === "done" || status.state === "failed") {
          window.location.reload();  // the page then shows the downloads or the error
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
