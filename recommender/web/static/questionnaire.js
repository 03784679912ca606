// Conveniences only: the server validates every answer through the library, with or without
// this script.
//  - A follow-up question appears as soon as the answer it depends on is chosen.
//  - A link in the error summary puts the cursor in the answer it names (without scripts it
//    scrolls there).
//  - After each answer, the page asks the server whether the answers so far already end the
//    questionnaire (an emergency or urgent red flag); if so it goes straight to that message.
(function () {
  "use strict";
  var form = document.getElementById("questionnaire");
  if (!form) { return; }

  function answerOf(field) {
    var inputs = form.querySelectorAll('[name="' + field + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if (input.disabled) { return; }
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { return; }
      if (input.value !== "") { values.push(input.value); }
    });
    return values;
  }

  function updateFollowUps() {
    form.querySelectorAll("fieldset[data-enable-field]").forEach(function (fieldset) {
      var wanted = fieldset.dataset.enableValues.split(" ");
      var given = answerOf(fieldset.dataset.enableField);
      var on = given.some(function (value) { return wanted.indexOf(value) !== -1; });
      fieldset.hidden = !on;
      fieldset.disabled = !on;
    });
  }

  var checking = 0;
  function checkForStop() {
    var ticket = ++checking;
    fetch(form.dataset.checkUrl, { method: "POST", body: new FormData(form) })
      .then(function (response) { return response.ok ? response.json() : { stop: false }; })
      .then(function (result) {
        if (result.stop && ticket === checking) {
          form.noValidate = true;  // the unanswered questions no longer matter
          form.submit();
        }
      })
      .catch(function () { /* the Continue button still works without this */ });
  }

  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function () {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (target) { target.focus(); }
    });
  });

  form.addEventListener("change", function () {
    updateFollowUps();
    checkForStop();
  });
  updateFollowUps();
})();
