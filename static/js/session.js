// The session warning (issue 16): SESSION_WARNING_SECONDS before the signed-in session
// ends (the body's data-session-remaining, counted from this page's load), a dialog
// offers to stay signed in, which asks the keepalive URL to start the idle time again.
// The dialog is a native <dialog>: opened modal, it takes the focus, keeps it inside,
// and closes with Escape. Other scripts that reach the server (the request form's
// autosave) tell it with the event "pikassos:session" and {detail: {remaining}}.
document.addEventListener("DOMContentLoaded", () => {
  const body = document.body;
  const dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const warning = Number(body.dataset.sessionWarning) * 1000;
  const form = dialog.querySelector("form");
  const stay = dialog.querySelector("[data-session-stay]");
  const text = document.getElementById("session-warning-text");
  let warnTimer;
  let endTimer;
  let returnFocus = null;

  const close = () => {
    if (dialog.open) dialog.close();
  };
  dialog.addEventListener("close", () => {
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
    returnFocus = null;
  });
  const ended = () => {
    text.textContent = text.dataset.endedText;
    stay.hidden = true;
  };
  const arm = (remaining) => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    const left = remaining * 1000;
    warnTimer = setTimeout(() => {
      returnFocus = document.activeElement;
      dialog.showModal();
      stay.focus();
    }, Math.max(0, left - warning));
    endTimer = setTimeout(ended, left);
  };

  dialog.querySelector("[data-session-close]").addEventListener("click", close);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        redirect: "manual",
      });
      if (!response.ok) throw new Error("session ended");
      const answer = await response.json();
      arm(answer.remaining);
      close();
    } catch {
      ended();
    }
  });
  document.addEventListener("pikassos:session", (event) => arm(event.detail.remaining));
  arm(Number(body.dataset.sessionRemaining));
});
