// Sizes each progress bar from its data-percent attribute. A style="width: …" attribute would
// need 'unsafe-inline' in the Content Security Policy; setting the width from a script is allowed.
document.querySelectorAll(".progress-bar[data-percent]").forEach(function (bar) {
  bar.style.width = Math.min(Number(bar.dataset.percent) || 0, 100) + "%";
});
