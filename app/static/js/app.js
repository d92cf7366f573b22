// Small behaviours that work on top of plain HTML forms.
(function () {
  "use strict";

  // <form data-confirm="..."> asks before submitting.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);

  // <button data-fill="id" data-value="..."> puts its value in the field of that id.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fill]");
    var input = button && document.getElementById(button.getAttribute("data-fill"));
    if (input) {
      input.value = button.getAttribute("data-value");
      input.focus();
    }
  });

  // <form data-warn-unsaved> warns before leaving with unsaved changes (F11.11).
  var dirty = new Set();
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-warn-unsaved")) dirty.add(form);
  });
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) dirty.delete(event.target);
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
