// The request form saves its draft by itself (issue 16): every data-autosave seconds,
// when something was typed since the last save, the form is posted to its own URL with
// autosave=1 (the CSRF token is among its fields) and the answer, JSON, tells the page
// the version now saved, the rows' new ids and, for a new request, the draft's own URL,
// so every later save (and the buttons) edit that one draft. A quiet status
// (role=status) says when it was saved. Without JavaScript the form works as before.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-autosave]");
  const status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch) return;
  const every = (Number(form.dataset.autosave) || 60) * 1000;
  let changed = false;
  let saving = null;
  let stopped = false;

  const mark = () => {
    changed = true;
  };
  form.addEventListener("input", mark);
  form.addEventListener("change", mark);

  const say = (text) => {
    status.textContent = text;
  };

  const save = async () => {
    const data = new FormData(form);
    data.set("autosave", "1");
    changed = false;
    const response = await fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      // The session's end answers with a redirect to log in: the post is kept on the
      // server for after the login (accounts.resubmit), and the page says it failed.
      redirect: "manual",
    });
    if (!response.ok) {
      changed = true;
      throw new Error(String(response.status));
    }
    const answer = await response.json();
    form.action = answer.action;
    form.elements.namedItem("version").value = String(answer.version);
    for (const [name, id] of Object.entries(answer.ids)) {
      const input = form.elements.namedItem(name);
      if (input) input.value = String(id);
    }
    say(answer.kept_out ? `${answer.message}. ${status.dataset.keptOutText}` : answer.message);
    document.dispatchEvent(
      new CustomEvent("pikassos:session", { detail: { remaining: answer.session_remaining } }),
    );
  };

  const tick = () => {
    if (!changed || saving || stopped) return;
    saving = save()
      .catch(() => say(status.dataset.failedText))
      .finally(() => {
        saving = null;
      });
  };
  setInterval(tick, every);

  // A button pressed while a save is on its way waits for it: the page then sends the
  // version and the ids that save gave.
  form.addEventListener("submit", (event) => {
    stopped = true;
    if (!saving) return;
    event.preventDefault();
    const button = event.submitter;
    saving.finally(() => {
      saving = null;
      form.requestSubmit(button);
    });
  });
});
