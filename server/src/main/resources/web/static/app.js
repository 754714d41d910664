// riskloop's web app: draws the charts whose data the server put in <script type="application/json"> elements.
(function () {
  'use strict';
  var FRAUD = '#c0392b', GENUINE = '#1e8449', MID = '#b9770e', ACCENT = '#2457c5';

  function data(canvas) {
    var el = document.getElementById(canvas.dataset.source);
    return el ? JSON.parse(el.textContent) : null;
  }

  var PALETTE = [ACCENT, FRAUD, GENUINE, MID, '#7d3c98', '#117a8b', '#5b6475'];

  // one line per model version and role: champions solid, challengers dashed, a version's colour in both roles
  function versionLines(d, key) {
    return { type: 'line', data: { labels: d.times, datasets: d.series.map(function (s) {
      var colour = PALETTE[s.colour % PALETTE.length];
      return { label: s.label, data: s[key], borderColor: colour, backgroundColor: colour, pointRadius: 2,
        borderDash: s.challenger ? [6, 4] : [], spanGaps: true };
    }) }, options: { maintainAspectRatio: false, animation: false, scales: { y: { min: 0, max: 1 } } } };
  }

  var builders = {
    versionAp: function (d) { return versionLines(d, 'ap'); },
    versionCp: function (d) { return versionLines(d, 'cp'); },
    contributions: function (d) {
      return {
        type: 'bar',
        data: { labels: d.labels, datasets: [{ label: 'contribution to log-odds', data: d.values,
          backgroundColor: d.values.map(function (v) { return v > 0 ? FRAUD : GENUINE; }) }] },
        options: { indexAxis: 'y', maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } } }
      };
    },
    throughput: function (d) {
      return { type: 'line', data: { labels: d.minutes, datasets: [{ label: 'transactions / s', data: d.perSecond,
        borderColor: ACCENT, pointRadius: 1, tension: 0.2 }] },
        options: { maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } } };
    },
    alerts: function (d) {
      return { type: 'line', data: { labels: d.minutes, datasets: [{ label: 'alert rate', data: d.alertRate,
        borderColor: MID, pointRadius: 2, showLine: true, spanGaps: true }] },
        options: { maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, max: 1 } } } };
    },
    mix: function (d) {
      return { type: 'doughnut', data: { labels: ['approve', 'review', 'decline'], datasets: [{
        data: [d.mix.APPROVE || 0, d.mix.REVIEW || 0, d.mix.DECLINE || 0], backgroundColor: [GENUINE, MID, FRAUD] }] },
        options: { maintainAspectRatio: false, animation: false } };
    },
    scores: function (d) {
      return { type: 'bar', data: { labels: d.bins, datasets: [{ label: 'transactions', data: d.histogram,
        backgroundColor: ACCENT }] },
        options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } },
          scales: { y: { type: 'logarithmic' } } } };
    },
    accuracy: function (d) {
      return { type: 'line', data: { labels: d.days, datasets: [
        { label: 'precision', data: d.precision, borderColor: ACCENT, spanGaps: true },
        { label: 'recall', data: d.recall, borderColor: FRAUD, spanGaps: true }] },
        options: { maintainAspectRatio: false, animation: false, scales: { y: { min: 0, max: 1 } } } };
    }
  };

  function draw(root) {
    if (typeof Chart === 'undefined') { return; }
    (root || document).querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      if (canvas.dataset.drawn) { return; }
      var d = data(canvas), build = builders[canvas.dataset.chart];
      if (d && build) {
        new Chart(canvas, build(d));
        canvas.dataset.drawn = 'true';
      }
    });
  }

  document.addEventListener('DOMContentLoaded', function () { draw(document); });
  document.addEventListener('htmx:afterSwap', function (e) { draw(e.target); });
})();
