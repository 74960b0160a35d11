/* The exam page: save each answer as it is given, never lose one.
 * - Every change is queued in localStorage (kept across reloads and network loss) and sent
 *   with PUT /api/v1/attempts/{id}/responses/{question}/ carrying a client timestamp.
 * - The server's answer is authoritative: if another tab saved later, this tab shows it.
 * - The countdown runs on the server's clock (seconds left at load, then a monotonic timer).
 */
(function () {
  "use strict";
  const page = document.getElementById("exam-page");
  if (!page) return;
  const data = JSON.parse(document.getElementById("attempt-data").textContent);
  const text = page.dataset;
  const attemptId = page.dataset.attempt;
  const api = "/api/v1/attempts/" + attemptId + "/";
  const storageKey = "exam-attempt-" + attemptId;
  const csrf = page.querySelector("input[name=csrfmiddlewaretoken]").value;
  const loadedAt = performance.now();
  const serverOffset = Date.parse(data.server_now) - Date.now();
  const revisions = {};
  let pending = JSON.parse(localStorage.getItem(storageKey) || "{}");
  let retryDelay = 1000;
  let retryTimer = null;
  let closed = false;

  const fieldset = (id) => document.getElementById("q-" + id);
  const persist = () => localStorage.setItem(storageKey, JSON.stringify(pending));
  const setState = (id, message, kind) => {
    const node = fieldset(id) && fieldset(id).querySelector(".save-state");
    if (node) { node.textContent = message; node.dataset.state = kind; }
  };
  const setConnection = (message) => { document.getElementById("connection").textContent = message || ""; };

  function readAnswer(box) {
    const kind = box.dataset.kind;
    const checked = [...box.querySelectorAll("input:checked")].map((input) => input.value);
    if (kind === "single") return checked[0] || null;
    if (kind === "multiple") return checked;
    if (kind === "truefalse") return checked.length ? checked[0] === "true" : null;
    if (kind === "numeric") {
      const unit = box.querySelector("select[name=unit]");
      return { value: box.querySelector("input[name=value]").value, unit: unit ? unit.value : "" };
    }
    if (kind === "shorttext" || kind === "essay") return box.querySelector("[name=text]").value;
    if (kind === "matching") {
      const answer = {};
      box.querySelectorAll("select").forEach((select) => { answer[select.name] = select.value; });
      return answer;
    }
    if (kind === "ordering") return [...box.querySelectorAll("li[data-item-id]")].map((li) => li.dataset.itemId);
    return null;
  }

  function showAnswer(box, answer) {
    const kind = box.dataset.kind;
    if (answer === null || answer === undefined) return;
    if (kind === "single" || kind === "multiple" || kind === "truefalse") {
      const values = [].concat(answer).map(String);
      box.querySelectorAll("input").forEach((input) => { input.checked = values.includes(input.value); });
    } else if (kind === "numeric") {
      box.querySelector("input[name=value]").value = answer.value || "";
      const unit = box.querySelector("select[name=unit]");
      if (unit && answer.unit) unit.value = answer.unit;
    } else if (kind === "shorttext" || kind === "essay") {
      box.querySelector("[name=text]").value = answer;
    } else if (kind === "matching") {
      box.querySelectorAll("select").forEach((select) => { select.value = answer[select.name] || ""; });
    } else if (kind === "ordering") {
      const list = box.querySelector("ol");
      answer.forEach((id) => { const li = list.querySelector('[data-item-id="' + id + '"]'); if (li) list.appendChild(li); });
    }
  }

  function queue(box) {
    const id = box.dataset.questionId;
    pending[id] = { answer: readAnswer(box), client_timestamp: Date.now() + serverOffset };
    persist();
    setState(id, text.textSaving, "saving");
    flush();
  }

  async function sendOne(id) {
    const item = pending[id];
    const response = await fetch(api + "responses/" + id + "/", {
      method: "PUT",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      credentials: "same-origin",
      body: JSON.stringify(item),
    });
    const body = await response.json().catch(() => ({}));
    if (response.status === 409) { closed = true; setConnection(body.detail); finish(); return; }
    if (!response.ok) throw new Error(body.detail || response.statusText);
    // Only forget the pending answer if nothing newer was typed while it was in flight.
    if (pending[id] === item) { delete pending[id]; persist(); }
    revisions[id] = body.revision;
    if (!body.accepted) { showAnswer(fieldset(id), body.answer); setState(id, text.textOtherDevice, "other"); }
    else if (!pending[id]) setState(id, text.textSaved, "saved");
  }

  async function flush() {
    if (closed) return;
    clearTimeout(retryTimer);
    try {
      for (const id of Object.keys(pending)) await sendOne(id);
      retryDelay = 1000;
      setConnection("");
    } catch (error) {
      Object.keys(pending).forEach((id) => setState(id, text.textRetrying, "retrying"));
      if (!navigator.onLine) setConnection(text.textOffline);
      retryTimer = setTimeout(flush, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 15000);
    }
  }

  async function syncFromServer() {
    if (closed || !navigator.onLine) return;
    try {
      const response = await fetch(api, { credentials: "same-origin" });
      if (!response.ok) return;
      const fresh = await response.json();
      if (fresh.status !== "started") { closed = true; finish(); return; }
      fresh.questions.forEach((q) => {
        if (q.saved && !pending[q.id] && q.saved.revision > (revisions[q.id] || 0)) {
          revisions[q.id] = q.saved.revision;
          showAnswer(fieldset(q.id), q.saved.answer);
          setState(q.id, text.textOtherDevice, "other");
        }
      });
    } catch (error) { /* the next poll will try again */ }
  }

  function tick() {
    const left = Math.max(0, data.seconds_left - Math.floor((performance.now() - loadedAt) / 1000));
    const minutes = Math.floor(left / 60);
    document.getElementById("time-left").textContent = minutes + ":" + String(left % 60).padStart(2, "0");
    if (left === 0 && !closed) submit(false);
  }

  async function submit(ask) {
    if (ask && !window.confirm(text.textConfirm)) return;
    await flush();
    await fetch(api + "submit/", { method: "POST", headers: { "X-CSRFToken": csrf }, credentials: "same-origin" }).catch(() => null);
    closed = true;
    finish();
  }

  function finish() {
    localStorage.removeItem(storageKey);
    window.location.href = page.dataset.resultUrl;
  }

  data.questions.forEach((q) => {
    if (q.saved) { revisions[q.id] = q.saved.revision; showAnswer(fieldset(q.id), q.saved.answer); setState(q.id, text.textSaved, "saved"); }
  });
  Object.entries(pending).forEach(([id, item]) => { if (fieldset(id)) showAnswer(fieldset(id), item.answer); });

  document.querySelectorAll(".exam-question").forEach((box) => {
    box.addEventListener("change", () => queue(box));
    let typing = null;
    box.addEventListener("input", (event) => {
      if (event.target.matches("input[type=text], textarea")) { clearTimeout(typing); typing = setTimeout(() => queue(box), 800); }
    });
    box.addEventListener("click", (event) => {
      const button = event.target.closest("button.move");
      if (!button) return;
      const li = button.closest("li");
      const sibling = button.dataset.move === "-1" ? li.previousElementSibling : li.nextElementSibling;
      if (sibling) { button.dataset.move === "-1" ? sibling.before(li) : sibling.after(li); queue(box); }
    });
  });
  // Enter in a text answer must not post the form: answers are saved one by one (and no
  // inline handler: the Content Security Policy allows no inline script).
  document.getElementById("exam-form").addEventListener("submit", (event) => event.preventDefault());
  document.getElementById("submit-attempt").addEventListener("click", () => submit(true));
  window.addEventListener("online", flush);
  window.addEventListener("offline", () => setConnection(text.textOffline));
  setInterval(tick, 1000);
  setInterval(syncFromServer, 15000);
  tick();
  flush();
})();
