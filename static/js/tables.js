/* On a phone the rows of a table become cards (static/css/portal.css, issue 16 part 6).
   Some browsers drop a table's semantics once it is no longer displayed as a table: the
   roles restated here keep rows, cells and their column headers for screen readers. */
(function () {
  "use strict";
  document.querySelectorAll("table.table").forEach(function (table) {
    table.setAttribute("role", "table");
    table.querySelectorAll("thead, tbody, tfoot").forEach(function (group) {
      group.setAttribute("role", "rowgroup");
    });
    table.querySelectorAll("tr").forEach(function (row) {
      row.setAttribute("role", "row");
    });
    table.querySelectorAll("td").forEach(function (cell) {
      cell.setAttribute("role", "cell");
    });
    table.querySelectorAll("th").forEach(function (header) {
      header.setAttribute("role", header.getAttribute("scope") === "row" ? "rowheader" : "columnheader");
    });
  });
})();
