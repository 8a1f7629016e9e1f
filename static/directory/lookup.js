// Progressive enhancement for the share form: as someone types who treated them or where,
// matching directory entries are offered in a list under the field (an ARIA 1.2 combobox).
// Their own words stay allowed; without this script the fields are plain text boxes.
(function () {
  "use strict";
  var MIN_CHARS = 2;
  var DELAY_MS = 250;
  var count = 0;

  function format(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function setUp(wrapper) {
    var input = wrapper.querySelector("input");
    var url = wrapper.getAttribute("data-directory-lookup-url");
    if (!input || !url) return;
    var field = wrapper.getAttribute("data-directory-lookup") === "where" ? "where" : "who";
    var fill = wrapper.getAttribute("data-directory-fill") === "city" ? "city" : "value";
    var form = input.form;
    count += 1;

    var list = document.createElement("ul");
    list.id = "directory-suggestions-" + count;
    list.className = "directory-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", wrapper.getAttribute("data-directory-list-label") || "");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var sequence = 0;
    var filling = false;

    function optionId(index) { return list.id + "-" + index; }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
      } else {
        input.setAttribute("aria-activedescendant", optionId(index));
        list.children[index].scrollIntoView({ block: "nearest" });
      }
    }

    function render(results) {
      var seen = {};
      items = [];
      results.forEach(function (item) {
        var value = fill === "city" ? item.city : item.value;
        if (!value || seen[value]) return;
        seen[value] = true;
        items.push({
          value: value,
          label: fill === "city" ? (item.place || item.city) : item.label,
          detail: fill === "city" ? "" : item.detail,
          city: item.city,
          country: item.country
        });
      });
      list.textContent = "";
      items.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = optionId(index);
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.className = "label";
        label.textContent = item.label;
        option.appendChild(label);
        if (item.detail) {
          var detail = document.createElement("span");
          detail.className = "detail";
          detail.textContent = item.detail;
          option.appendChild(detail);
        }
        // Keep the focus (and the keyboard) in the text box while the pointer chooses.
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(index); });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = items.length === 1
          ? wrapper.getAttribute("data-directory-one")
          : format(wrapper.getAttribute("data-directory-many"), { n: items.length });
      } else {
        close();
        status.textContent = "";
      }
    }

    function setValue(element, value) {
      element.value = value;
      // The share form keeps its draft on input and change events.
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function choose(index) {
      var item = items[index];
      if (!item) return;
      filling = true;
      setValue(input, item.value);
      var message = format(wrapper.getAttribute("data-directory-chosen"), { name: item.value });
      if (field === "where" && fill === "value" && form) {
        var city = form.querySelector('[name="city"]');
        var country = form.querySelector('select[name="country"]');
        var filled = false;
        if (city && !city.value && item.city) { setValue(city, item.city); filled = true; }
        if (country && !country.value && item.country &&
            country.querySelector('option[value="' + CSS.escape(item.country) + '"]')) {
          setValue(country, item.country);
          filled = true;
        }
        if (filled) message += " " + wrapper.getAttribute("data-directory-filled");
      }
      filling = false;
      close();
      status.textContent = message;
      input.focus();
    }

    function lookUp() {
      var q = input.value.trim();
      sequence += 1;
      var mine = sequence;
      if (q.length < MIN_CHARS) { render([]); return; }
      var address = url + "?" + new URLSearchParams({ field: field, q: q }).toString();
      fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          // An answer to an older query arrives late: the newer one wins.
          if (mine === sequence && document.activeElement === input) render(data.results || []);
        })
        .catch(function () { if (mine === sequence) render([]); });
    }

    input.addEventListener("input", function () {
      if (filling) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        if (!items.length) return;
        event.preventDefault();
        if (!open) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        highlight(active + 1 < items.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active > 0 ? active - 1 : items.length - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  document.querySelectorAll("[data-directory-lookup]").forEach(setUp);
})();
