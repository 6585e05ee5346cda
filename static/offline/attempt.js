/* Allele: the quiz attempt form offline. Loaded by queue.js on attempt pages only.
   Online the form posts as usual (and quiz.js autosaves). Offline, "Save answers" and
   "Check answer" queue the answers on the device, and "Submit answers" queues them and
   the submission; queue.js sends the queue when the connection returns. The attempt
   itself was started online (only the server can draw its questions). */
(function () {
  "use strict";
  var offline = window.alleleOffline;
  var form = document.querySelector("form[data-quiz-autosave]");
  var match = form && (form.getAttribute("action") || "").match(/\/attempts\/(\d+)\/$/);
  if (!offline || !match) { return; }
  var attempt = +match[1];

  function freeze(message) {
    form.querySelectorAll("button, input, select").forEach(function (f) { f.disabled = true; });
    offline.say(form, message);
  }
  // Submitted on this device: so it stays after a reload, until the queue is sent.
  if (offline.queue().some(function (a) { return a.type === "submit_attempt" && a.attempt === attempt; })) {
    freeze(offline.text("submitted"));
  }
  // Offline, quiz.js's autosave could only fail (and say so): the queue keeps the answers.
  ["change", "input"].forEach(function (type) {
    form.addEventListener(type, function (event) {
      if (offline.isOffline()) { event.stopImmediatePropagation(); }
    }, true);
  });

  /* The answers of an attempt form, per question id, in the shape the server grades
     (assessments/forms.py parse_answers). Field names are q/<id>[/<sub id>]; a case's
     parts are q/<case id>/<part id>[/<sub id>]. */
  function answer(fieldset) {
    var fields = [].slice.call(fieldset.querySelectorAll("input[name], select[name]"));
    var sel = fields[0].tagName === "SELECT", base = fields[0].name, values = {};
    if (sel) { base = base.slice(0, base.lastIndexOf("/")); }
    fields.forEach(function (f) {
      if ((f.type === "radio" || f.type === "checkbox") && !f.checked) { return; }
      (values[f.name] = values[f.name] || []).push(f.value.trim());
    });
    function sub(f) { return f.name.slice(base.length + 1); }
    var first = (values[base] || [""])[0], found = null;
    if (sel && fieldset.querySelector(".order-item")) {
      var items = fields.map(function (f) { return { id: sub(f), at: +f.value || 1e4 }; });
      items.sort(function (a, b) { return a.at - b.at; });
      var any = items.some(function (i) { return i.at < 1e4; });
      found = any ? { order: items.map(function (i) { return i.id; }) } : null;
    } else if (sel) {
      var pairs = {};
      fields.forEach(function (f) { if (f.value) { pairs[sub(f)] = f.value; } });
      found = Object.keys(pairs).length ? { pairs: pairs } : null;
    } else if (fields[0].type === "checkbox") {
      found = values[base] ? { choices: values[base] } : null;
    } else if (fields[0].type === "radio") {
      var tf = fields.length === 2 && fields[0].value === "true" && fields[1].value === "false";
      found = !first ? null : tf ? { answer: first === "true" } : { choice: first };
    } else if (first) {
      var unit = (values[base + "/unit"] || [""])[0];
      found = fields[0].inputMode !== "decimal" ? { text: first }
        : unit ? { value: first, unit: unit } : { value: first };
    }
    return { path: base.split("/"), answer: found };
  }

  function answers(form) {
    var result = {};
    form.querySelectorAll("fieldset.question:enabled").forEach(function (q) {
      var mine = answer(q);
      if (mine.path.length === 2) { result[mine.path[1]] = mine.answer; return; }
      var id = mine.path[1], set = result[id] || null; // a part of case <id>
      if (mine.answer !== null) {
        set = result[id] = set || { parts: {} };
        set.parts[mine.path[2]] = mine.answer;
      }
      result[id] = set;
    });
    return result;
  }

  form.addEventListener("submit", function (event) {
    if (!offline.isOffline()) { return; }
    event.preventDefault();
    event.stopImmediatePropagation(); // quiz.js would stop its autosave; nothing to post
    var label = offline.title();
    offline.enqueue({ type: "save_answers", attempt: attempt, responses: answers(form),
                      label: label });
    if (event.submitter && event.submitter.name === "submit") {
      offline.enqueue({ type: "submit_attempt", attempt: attempt, label: label });
      freeze(offline.text("submitted"));
    } else {
      offline.say(form, offline.text("answered"));
    }
    offline.render();
  }, true);
})();
