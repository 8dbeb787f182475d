// Draws the dashboard's charts from the numbers in each canvas's data-chart attribute.
// Served from static/ with Chart.js (no CDN); every chart also has its numbers in a table.
document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
  var spec = JSON.parse(canvas.dataset.chart);
  new Chart(canvas, {
    type: spec.type,
    data: { labels: spec.labels, datasets: spec.datasets },
    options: { responsive: true, animation: false, plugins: { legend: { display: spec.datasets.length > 1 } } }
  });
});
