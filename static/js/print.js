// The "Print" button of a printable page: shown only when JavaScript runs (the page says
// how to print without it), it opens the browser's print dialogue.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
