// After a form fails to validate, move focus to its error summary, so keyboard and
// screen-reader users start from the list of errors; each entry links to its field.
// Progressive: without JavaScript the summary is still at the top of the form.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});
