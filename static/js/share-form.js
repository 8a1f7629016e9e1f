// Progressive enhancement for the share-your-story form: hide questions that do not apply,
// keep a draft in this browser so a tired person loses nothing, and focus the error summary.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var done = document.querySelector("[data-draft-done]");
  if (done) {
    try { window.localStorage.removeItem(done.getAttribute("data-draft-done")); } catch (e) {}
    return;
  }

  var form = document.querySelector("form[data-draft-key]");
  if (!form) return;
  var key = form.getAttribute("data-draft-key");
  var summary = document.getElementById("error-summary");
  // The email address is left out: a shared computer should not keep it.
  var skipped = { csrfmiddlewaretoken: true, email: true };

  function fieldsOf(name) { return form.querySelectorAll('[name="' + name + '"]'); }

  function saveDraft() {
    var draft = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || skipped[el.name] || el.type === "submit" || el.type === "hidden") return;
      if (el.type === "radio" || el.type === "checkbox") {
        if (!draft[el.name]) draft[el.name] = [];
        if (el.checked) draft[el.name].push(el.value);
      } else {
        draft[el.name] = el.value;
      }
    });
    try { window.localStorage.setItem(key, JSON.stringify(draft)); } catch (e) {}
  }

  function restoreDraft() {
    var raw;
    try { raw = window.localStorage.getItem(key); } catch (e) { return false; }
    if (!raw) return false;
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { return false; }
    Object.keys(draft).forEach(function (name) {
      var value = draft[name];
      Array.prototype.forEach.call(fieldsOf(name), function (el) {
        if (el.type === "radio" || el.type === "checkbox") {
          el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
        } else if (typeof value === "string") {
          el.value = value;
        }
      });
    });
    return true;
  }

  function updateConditional() {
    document.querySelectorAll("[data-show-when-field]").forEach(function (block) {
      var name = block.getAttribute("data-show-when-field");
      var wanted = block.getAttribute("data-show-when-value");
      var checked = form.querySelector('[name="' + name + '"]:checked');
      block.hidden = !(checked && checked.value === wanted);
    });
  }

  // A page that came back with errors already holds what was typed; never overwrite it.
  var restored = !summary && restoreDraft();
  var note = document.querySelector("[data-draft-note]");
  if (note) {
    note.hidden = false;
    var clear = note.querySelector("[data-draft-clear]");
    clear.addEventListener("click", function () {
      if (!window.confirm(clear.getAttribute("data-confirm") || "Clear everything you typed?")) return;
      try { window.localStorage.removeItem(key); } catch (e) {}
      form.reset();
      updateConditional();
    });
  }
  updateConditional();
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", function () { updateConditional(); saveDraft(); });
  if (summary) {
    saveDraft();
    summary.focus();
  } else if (restored) {
    form.setAttribute("data-draft-restored", "true");
  }
})();
