// Adds another child form to the request form's formset (progressive: without
// JavaScript the form still works for one child, and the button stays hidden).
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
  const button = document.getElementById("add-child");
  const template = document.getElementById("child-form-template");
  if (!button || !template) return;
  button.addEventListener("click", () => {
    const prefix = button.dataset.prefix;
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    document.getElementById(`${prefix}-forms`).insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const added = document.getElementById(`${prefix}-forms`).lastElementChild;
    const first = added.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  });
});
