import Foundation
import NLSProbeCore

/// The style sheet and the script the HTML report carries inline (nothing is loaded from anywhere:
/// the file works offline and its Content-Security-Policy forbids every other source), and their
/// hashes for that policy.
///
/// The script makes the checks table sortable (click a column header) and filterable (verdict
/// boxes and a text box). It reads its starting state from the URL fragment or query, so a view
/// can be bookmarked or linked: `report.html#filter=fail,inconclusive&q=proxy&sort=-ms` shows the
/// failed and inconclusive checks mentioning "proxy", slowest first.
public enum HTMLReportAssets {
    /// The style sheet: screen and A4 print (controls hidden, every row and every detail shown).
    public static let style = """
        :root{--pass:#e3fcef;--pass-ink:#006644;--fail:#ffebe6;--fail-ink:#bf2600;--inc:#fffae6;\
        --inc-ink:#974f0c;--skip:#f4f5f7;--skip-ink:#505f79;--line:#c1c7d0}
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;font-size:14px;\
        color:#172b4d;margin:1.5em;line-height:1.4}
        h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.2em;margin:1.4em 0 .5em;border-bottom:1px solid var(--line)}
        table{border-collapse:collapse;width:100%;margin:.4em 0}
        th,td{border:1px solid var(--line);padding:.25em .45em;text-align:left;vertical-align:top;\
        overflow-wrap:break-word}
        thead th{white-space:nowrap}code{overflow-wrap:anywhere}
        th{background:#f4f5f7}th button{font:inherit;font-weight:600;background:none;border:0;padding:0;\
        cursor:pointer;color:inherit;text-align:left}
        th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
        code,.mono{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.92em}
        .v{display:inline-block;padding:0 .4em;border-radius:3px;font-weight:600;white-space:nowrap}
        .v-pass{background:var(--pass);color:var(--pass-ink)}.v-fail{background:var(--fail);color:var(--fail-ink)}
        .v-inconclusive{background:var(--inc);color:var(--inc-ink)}.v-skipped{background:var(--skip);color:var(--skip-ink)}
        tr.r-fail td{background:#fff4f1}tr.r-inconclusive td{background:#fffdf0}
        .summary{font-size:1.1em}.warning{background:var(--inc);border-left:4px solid #ff8b00;padding:.4em .7em;margin:.5em 0}
        .controls{display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:center;margin:.5em 0;padding:.5em;\
        background:#f4f5f7;border-radius:4px}
        .controls input[type=search]{min-width:18em;padding:.2em .4em}
        details{border:1px solid var(--line);border-left:4px solid var(--fail-ink);border-radius:3px;\
        padding:.3em .7em;margin:.5em 0}
        details.d-inconclusive{border-left-color:#ff8b00}
        summary{font-weight:600;cursor:pointer}dl{margin:.3em 0}dt{font-weight:600;float:left;clear:left;width:6.5em}
        dd{margin:0 0 .2em 7em}ul{margin:.1em 0;padding-left:1.2em}
        .matrix td{text-align:center}.matrix td:first-child{text-align:left}
        @page{size:A4 portrait;margin:12mm}
        @media print{body{margin:0;font-size:8.5pt}.controls{display:none}tr[hidden]{display:table-row}\
        thead{display:table-header-group}tr,details{break-inside:avoid}h2{break-after:avoid}\
        th button::after{content:""!important}.v,tr.r-fail td,tr.r-inconclusive td{print-color-adjust:exact;\
        -webkit-print-color-adjust:exact}}
        """

    /// The script: sorting and filtering of the checks table, state in the URL fragment.
    public static let script = """
        (function () {
          "use strict";
          var table = document.getElementById("checks");
          if (!table) { return; }
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=verdict]"));
          var query = document.getElementById("query");
          var shown = document.getElementById("shown");
          var sort = "";
          function params() {
            var text = (location.hash || "").replace(/^#/, "");
            if (text.indexOf("=") < 0) { text = (location.search || "").replace(/^\\?/, ""); }
            var out = {};
            text.split("&").forEach(function (pair) {
              var at = pair.indexOf("=");
              if (at <= 0) { return; }
              try {
                out[decodeURIComponent(pair.slice(0, at))] = decodeURIComponent(pair.slice(at + 1).replace(/\\+/g, " "));
              } catch (e) { /* a malformed fragment is ignored */ }
            });
            return out;
          }
          function apply() {
            var verdicts = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
            var needle = query.value.trim().toLowerCase();
            var count = 0;
            rows.forEach(function (row) {
              var text = (row.textContent + " " + (row.getAttribute("data-id") || "")).toLowerCase();
              var visible = verdicts.indexOf(row.getAttribute("data-verdict")) >= 0 &&
                (needle === "" || text.indexOf(needle) >= 0);
              if (visible) { row.removeAttribute("hidden"); count += 1; } else { row.setAttribute("hidden", ""); }
            });
            shown.textContent = count + " of " + rows.length + " checks shown";
          }
          function save() {
            var parts = ["filter=" + boxes.filter(function (box) { return box.checked; })
              .map(function (box) { return box.value; }).join(",")];
            if (query.value.trim() !== "") { parts.push("q=" + encodeURIComponent(query.value.trim())); }
            if (sort !== "") { parts.push("sort=" + encodeURIComponent(sort)); }
            try { history.replaceState(null, "", "#" + parts.join("&")); } catch (e) { /* file: URLs may refuse */ }
          }
          function value(cell, numeric) {
            var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent;
            if (numeric) { var number = parseFloat(raw); return isNaN(number) ? -Infinity : number; }
            return raw.toLowerCase();
          }
          function sortBy(spec) {
            var descending = spec.charAt(0) === "-";
            var key = descending ? spec.slice(1) : spec;
            var header = null;
            Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
              if (th.getAttribute("data-key") === key) { header = th; } else { th.removeAttribute("aria-sort"); }
            });
            if (!header) { return; }
            var index = header.cellIndex;
            var numeric = header.hasAttribute("data-numeric");
            rows.sort(function (a, b) {
              var x = value(a.cells[index], numeric), y = value(b.cells[index], numeric);
              var order = x < y ? -1 : x > y ? 1 : 0;
              if (descending) { order = -order; }
              return order !== 0 ? order : Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
            });
            rows.forEach(function (row) { body.appendChild(row); });
            header.setAttribute("aria-sort", descending ? "descending" : "ascending");
            sort = spec;
          }
          var start = params();
          if (typeof start.filter === "string") {
            var wanted = start.filter.split(",");
            if (wanted.indexOf("problems") >= 0) { wanted.push("fail", "inconclusive"); }
            boxes.forEach(function (box) { box.checked = wanted.indexOf(box.value) >= 0; });
          }
          if (typeof start.q === "string") { query.value = start.q; }
          if (typeof start.sort === "string") { sortBy(start.sort); }
          apply();
          boxes.forEach(function (box) { box.addEventListener("change", function () { apply(); save(); }); });
          query.addEventListener("input", function () { apply(); save(); });
          Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
            var button = th.querySelector("button");
            if (!button) { return; }
            button.addEventListener("click", function () {
              var key = th.getAttribute("data-key");
              sortBy(sort === key ? "-" + key : key);
              save();
            });
          });
          document.documentElement.setAttribute("data-ready", "true");
        })();
        """

    /// The Content-Security-Policy of the report: nothing may be loaded, only this style sheet
    /// and this script may apply (by their SHA-256), so even markup that slipped through escaping
    /// could neither run a script nor fetch anything.
    public static var contentSecurityPolicy: String {
        "default-src 'none'; style-src '\(hash(style))'; script-src '\(hash(script))'; img-src data:; "
            + "base-uri 'none'; form-action 'none'"
    }

    /// "sha256-BASE64" of the text as UTF-8, as CSP writes a hash source.
    static func hash(_ text: String) -> String {
        "sha256-" + Data(SHA256.digest(Array(text.utf8))).base64EncodedString()
    }
}
