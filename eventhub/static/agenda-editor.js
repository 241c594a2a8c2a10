/* The agenda editor: add a row in the page and remove a row, without sending the form (nothing typed is lost).
   Without JavaScript the "Add a row" button sends the form back with one more empty row, and a row is removed
   by emptying its title. Row fields are named items-<n>-<field>; numbers need not be consecutive. */
(function () {
  "use strict";
  var script = document.currentScript;
  var list = document.querySelector("[data-agenda-rows]");
  var addButton = document.querySelector("[data-add-row]");
  var status = document.querySelector("[data-agenda-status]");
  if (!list || !addButton) { return; }

  function say(text) { if (status) { status.textContent = text; } }

  function rows() { return list.querySelectorAll("[data-agenda-row]"); }

  function nextIndex() {
    var highest = -1;
    list.querySelectorAll("[name^='items-']").forEach(function (field) {
      var number = parseInt(field.name.split("-")[1], 10);
      if (number > highest) { highest = number; }
    });
    return highest + 1;
  }

  function renumberLegends() {
    rows().forEach(function (row, position) {
      var legend = row.querySelector("legend");
      var label = row.querySelector("[data-remove-row] .visually-hidden");
      var text = legend.textContent.replace(/\d+/, String(position + 1));
      legend.textContent = text;
      if (label) { label.textContent = " " + text; }
    });
  }

  function enableRemove(row) {
    var holder = row.querySelector(".agenda-remove");
    if (holder) { holder.hidden = false; }
  }

  function addRow() {
    var all = rows();
    var template = all[all.length - 1];
    var copy = template.cloneNode(true);
    var index = nextIndex();
    copy.querySelectorAll("[name], [id], label[for]").forEach(function (element) {
      ["name", "id", "for"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value) { element.setAttribute(attribute, value.replace(/^items-\d+-/, "items-" + index + "-")); }
      });
    });
    copy.querySelectorAll("input, textarea").forEach(function (field) { field.value = ""; });
    copy.querySelectorAll("select").forEach(function (field, position) {
      var original = template.querySelectorAll("select")[position];
      field.value = original.name.endsWith("-day") ? original.value : "other";
    });
    copy.querySelectorAll(".errors").forEach(function (element) { element.remove(); });
    copy.querySelectorAll(".has-error").forEach(function (element) { element.classList.remove("has-error"); });
    list.appendChild(copy);
    enableRemove(copy);
    renumberLegends();
    copy.querySelector("input[name$='-starts_at']").focus();
    say(script.dataset.added);
  }

  function removeRow(row) {
    var following = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    if (rows().length === 0) { addRow(); }
    renumberLegends();
    var target = following && following.isConnected ? following.querySelector("input, select, textarea") : addButton;
    (target || addButton).focus();
    say(script.dataset.removed);
  }

  addButton.addEventListener("click", function (event) { event.preventDefault(); addRow(); });
  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (button) { removeRow(button.closest("[data-agenda-row]")); }
  });
  rows().forEach(enableRemove);
})();
