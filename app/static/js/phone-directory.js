// The phone's directory (templates/phones/directory.html): drag the rows with SortableJS;
// after each drop the position fields are renumbered 1, 2, 3..., so Save posts the order
// shown. Without JavaScript the positions are typed. The phone picker opens the chosen phone.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var list = document.querySelector("[data-sortable]");
    if (list && window.Sortable) {
      window.Sortable.create(list, {
        handle: ".drag-handle",
        draggable: "li[data-entry]",
        animation: 150,
        onEnd: function () {
          list.querySelectorAll("li[data-entry]").forEach(function (row, index) {
            var input = row.querySelector(".position input");
            if (input) { input.value = String(index + 1); }
          });
        }
      });
    }
    var picker = document.querySelector("[data-navigate-select] select");
    if (picker) {
      picker.addEventListener("change", function () { window.location.assign(picker.value); });
    }
    document.querySelectorAll("[data-confirm-click]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.getAttribute("data-confirm-click"))) { event.preventDefault(); }
      });
    });
  });
})();
