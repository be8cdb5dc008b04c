// Adds another form to a formset from its <template>: the request form's children, a
// fee claim's expenses. Progressive: without JavaScript the form still offers its empty
// rows, and the buttons (class js-only) stay hidden.
//
// A button data-formset-add="PREFIX" copies <template id="PREFIX-form-template"> into
// #PREFIX-forms, numbering its fields from the management form's TOTAL_FORMS, and is
// disabled once the formset's MAX_NUM_FORMS is reached.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
  for (const button of document.querySelectorAll("button[data-formset-add]")) {
    const prefix = button.dataset.formsetAdd;
    const template = document.getElementById(`${prefix}-form-template`);
    const forms = document.getElementById(`${prefix}-forms`);
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const max = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
    if (!template || !forms || !total) continue;
    const full = () => max !== null && Number(total.value) >= Number(max.value);
    button.disabled = full();
    button.addEventListener("click", () => {
      if (full()) return;
      const index = Number(total.value);
      forms.insertAdjacentHTML(
        "beforeend",
        template.innerHTML.replaceAll("__prefix__", String(index)),
      );
      total.value = String(index + 1);
      button.disabled = full();
      const first = forms.lastElementChild.querySelector(
        "input:not([type=hidden]), select, textarea",
      );
      if (first) first.focus();
    });
  }
});
