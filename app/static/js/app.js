// Small behaviours on top of plain HTML: every page works without them.
// No inline script anywhere: the Content-Security-Policy allows scripts from /static only.
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

  // <input type=checkbox data-check-all="id"> ticks or clears every box listed in the element of that id.
  document.addEventListener("change", function (event) {
    var id = event.target.getAttribute && event.target.getAttribute("data-check-all");
    var scope = id && document.getElementById(id);
    if (!scope) return;
    scope.querySelectorAll("ul input[type=checkbox]").forEach(function (box) {
      box.checked = event.target.checked;
    });
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

  // Menus (<details class="menu">): one open at a time, closed by Escape or a click elsewhere.
  function closeMenus(except) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (menu !== except) menu.removeAttribute("open");
    });
  }
  document.addEventListener("toggle", function (event) {
    if (event.target.matches && event.target.matches("details.menu") && event.target.open) {
      closeMenus(event.target);
    }
  }, true);
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest("details.menu"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = event.target.closest && event.target.closest("details.menu[open]");
    if (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    } else {
      closeMenus(null);
    }
  });

  // Quick-edit grid: Enter (or a click) on a cell's button opens its editor (HTMX); the editor
  // takes the focus; Escape puts the cell back as it was, from the <template> the editor carries.
  function focusEditor(cell) {
    var control = cell.querySelector("input:not([type=hidden]), select, textarea");
    if (control) control.focus();
  }
  function cancelEditor(cell) {
    var original = cell.querySelector("template.cell-original");
    if (!original) return;
    var form = cell.closest("form");
    var restored = original.content.firstElementChild.cloneNode(true);
    cell.replaceWith(restored);
    if (window.htmx) window.htmx.process(restored);
    var button = restored.querySelector("button");
    if (button) button.focus();
    if (form && !form.querySelector("input[name=cells]")) dirty.delete(form);
  }
  document.addEventListener("htmx:load", function (event) {
    var cell = event.detail.elt;
    if (cell.matches && cell.matches("td.cell.editing")) {
      var form = cell.closest("form");
      if (form && form.hasAttribute("data-warn-unsaved")) dirty.add(form);
      focusEditor(cell);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    var cell = event.target.closest("td.cell.editing");
    if (cell) {
      event.preventDefault();
      cancelEditor(cell);
    }
  });

  // A failed save: the summary at the top takes the focus; its links focus the field itself.
  function showErrorSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    var control = document.getElementById(link.getAttribute("href").slice(1));
    if (!control) return;
    event.preventDefault();
    var label = document.querySelector("label[for='" + control.id + "']") || control.closest("label");
    control.focus({preventScroll: true});
    (label || control).scrollIntoView({block: "center"});
  });

  // Secrets shown on demand (the voicemail PIN): the Show button toggles the input's type.
  function revealButtons() {
    document.querySelectorAll("button.reveal[aria-controls]").forEach(function (button) {
      button.hidden = false;
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.reveal[aria-controls]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("aria-controls"));
    var shown = input.type === "password";
    input.type = shown ? "text" : "password";
    button.textContent = button.getAttribute(shown ? "data-label-hide" : "data-label-show");
  });

  function ready() {
    revealButtons();
    showErrorSummary();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
