// The dashboard's charts, drawn with ECharts from the JSON endpoints (same filters as the page).
(function () {
  "use strict";
  const root = document.querySelector("[data-dashboard]");
  if (!root || !window.echarts) return;
  const labels = JSON.parse(document.getElementById("dashboard-labels").textContent);
  const query = root.dataset.query ? "?" + root.dataset.query : "";
  const charts = [];
  const ROW = 22; // px per member row in the tall charts
  const STATE_COLORS = {
    approved: "#198754", submitted: "#0d6efd", returned: "#ffc107", late: "#fd7e14",
    missing: "#dc3545", draft: "#ced4da", open: "#e9ecef",
  };

  // Tooltip formatters return HTML and member and indicator names are typed in by users: every
  // piece of data goes through escapeHtml. Axis and series labels are drawn on the canvas as
  // text, and ECharts escapes what a valueFormatter returns, so those are left as they are.
  function escapeHtml(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function chart(id, height) {
    const el = document.getElementById(id);
    if (height) el.style.height = height + "px";
    const instance = echarts.init(el, null, { renderer: "canvas" });
    charts.push(instance);
    return instance;
  }

  function load(url) {
    return fetch(url + query, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }

  function failed(id) {
    const el = document.getElementById(id);
    el.textContent = labels.failed;
    el.classList.add("text-danger", "small");
    el.style.minHeight = "0";
  }

  function empty(id) {
    const el = document.getElementById(id);
    el.textContent = labels.no_data;
    el.classList.add("text-muted", "small");
    el.style.minHeight = "0";
  }

  function heatmap(data) {
    if (!data.members.length || !data.indicators.length) return empty("chart-heatmap");
    const names = data.indicators.map(function (i) { return i.name; });
    const instance = chart("chart-heatmap", 150 + ROW * data.members.length);
    instance.setOption({
      animation: false,
      tooltip: {
        formatter: function (p) {
          return escapeHtml(data.members[p.value[1]].name) + "<br>" + escapeHtml(names[p.value[0]]) +
            "：" + escapeHtml(p.value[2]) + "%";
        },
      },
      // Indicator names and the colour scale on top: with hundreds of members the bottom of
      // the chart is a long scroll away.
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: names, position: "top",
               axisLabel: { interval: 0, rotate: 45, fontSize: 11,
                            formatter: function (v) { return v.length > 8 ? v.slice(0, 8) + "…" : v; } } },
      yAxis: { type: "category", inverse: true, data: data.members.map(function (m) { return m.name; }),
               axisLabel: { fontSize: 11 } },
      visualMap: { type: "piecewise", orient: "horizontal", left: "center", top: 0, itemWidth: 14,
        pieces: [
          { lt: 60, color: "#dc3545", label: "< 60%" },
          { gte: 60, lt: 90, color: "#fd7e14", label: "60–90%" },
          { gte: 90, lt: 100, color: "#ffc107", label: "90–100%" },
          { gte: 100, color: "#198754", label: "≥ 100%" },
        ] },
      series: [{ type: "heatmap", data: data.cells, progressive: 5000,
                 label: { show: data.members.length <= 40, fontSize: 10,
                          formatter: function (p) { return Math.round(p.value[2]); } } }],
    });
    instance.on("click", function (p) {
      const indicator = data.indicators[p.value[0]], member = data.members[p.value[1]];
      window.location = indicator.url + query + "#member-" + member.id;
    });
  }

  function completeness(data) {
    if (!data.members.length) return empty("chart-completeness");
    const instance = chart("chart-completeness", 110 + ROW * data.members.length);
    const byCode = {};  // one series per state; a cell is [quarter, member, 1, submission]
    data.cells.forEach(function (c) {
      (byCode[c[2]] = byCode[c[2]] || []).push([c[0], c[1], 1, c[3]]);
    });
    instance.setOption({
      animation: false,
      tooltip: { formatter: function (p) {
        return escapeHtml(data.members[p.value[1]].name) + " " + escapeHtml(labels.quarters[p.value[0]]) +
          "：" + escapeHtml(p.seriesName);
      } },
      legend: { bottom: 0, itemWidth: 12, textStyle: { fontSize: 11 } },
      grid: { left: 8, right: 8, top: 8, bottom: 60, containLabel: true },
      xAxis: { type: "category", data: labels.quarters, position: "top" },
      yAxis: { type: "category", inverse: true, data: data.members.map(function (m) { return m.name; }),
               axisLabel: { fontSize: 11 } },
      series: Object.keys(STATE_COLORS).filter(function (code) { return byCode[code]; }).map(function (code) {
        return { name: labels[code], type: "heatmap", data: byCode[code],
                 itemStyle: { color: STATE_COLORS[code], borderColor: "#fff", borderWidth: 1 } };
      }),
    });
    instance.on("click", function (p) {
      if (p.value[3]) window.location = data.submission_url.replace("{id}", p.value[3]);
    });
  }

  function quarters(data) {
    const instance = chart("chart-quarters");
    const status = ["done", "on_track", "behind"], colors = ["#198754", "#0d6efd", "#dc3545"];
    instance.setOption({
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, textStyle: { fontSize: 11 } },
      grid: { left: 8, right: 8, top: 24, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: labels.quarters },
      yAxis: [{ type: "value" }, { type: "value", max: 100, axisLabel: { formatter: "{value}%" } }],
      series: status.map(function (s, i) {
        return { name: labels[s], type: "bar", stack: "tasks", color: colors[i],
                 data: data.quarters.map(function (q) { return q[s]; }) };
      }).concat([{ name: labels.on_time_rate, type: "line", yAxisIndex: 1, color: "#6f42c1",
                   data: (data.completeness || []).map(function (q) { return q.on_time_rate; }) }]),
    });
    instance.on("click", function (p) {  // a quarter's submissions behind the bars
      window.location = data.quarters[p.dataIndex].url;
    });
  }

  function years(data) {
    const select = document.getElementById("trend-indicator");
    if (!data.years.length) { select.hidden = true; return empty("chart-years"); }
    data.years.forEach(function (t, i) { select.add(new Option(t.name, i)); });
    const instance = chart("chart-years");
    function draw() {
      const trend = data.years[select.value];
      instance.setOption({
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + trend.unit; } },
        legend: { bottom: 0 },
        grid: { left: 8, right: 16, top: 24, bottom: 40, containLabel: true },
        xAxis: { type: "category", data: trend.points.map(function (p) { return String(p.year); }) },
        yAxis: { type: "value", axisLabel: { formatter: "{value}" + (trend.unit === "%" ? "%" : "") } },
        series: [
          { name: labels.target, type: "line", color: "#6c757d", lineStyle: { type: "dashed" },
            data: trend.points.map(function (p) { return p.target; }) },
          { name: labels.actual, type: "bar", color: "#0d6efd", connectNulls: false,
            data: trend.points.map(function (p) { return p.actual; }) },
        ],
      }, true);
    }
    instance.on("click", function (p) {  // a year with a plan opens that year's dashboard
      const point = data.years[select.value].points[p.dataIndex];
      if (!point.has_plan) return;
      const params = new URLSearchParams(root.dataset.query);
      params.set("year", point.year);
      window.location = "?" + params.toString();
    });
    select.addEventListener("change", draw);
    draw();
  }

  load(root.dataset.heatmapUrl).then(heatmap).catch(function () { failed("chart-heatmap"); });
  const completenessData = load(root.dataset.completenessUrl);
  completenessData.then(completeness).catch(function () { failed("chart-completeness"); });
  Promise.all([load(root.dataset.quartersUrl), completenessData.catch(function () { return null; })])
    .then(function (both) {
      quarters({ quarters: both[0].quarters, completeness: both[1] ? both[1].quarters : [] });
    })
    .catch(function () { failed("chart-quarters"); });
  load(root.dataset.yearsUrl).then(years).catch(function () { failed("chart-years"); });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
