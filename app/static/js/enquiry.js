// Shows the 999 advice the moment an emergency symptom is ticked, before the form is sent.
// The server gives the same advice after sending; this only makes it arrive sooner.
(function () {
  var form = document.getElementById("enquiry-form");
  var advice = document.getElementById("emergency-advice");
  if (!form || !advice) { return; }
  var codes = (form.getAttribute("data-emergency-codes") || "").split(" ");
  function update() {
    var ticked = codes.some(function (code) {
      var box = form.querySelector('input[name="red_flags"][value="' + code + '"]');
      return box && box.checked;
    });
    var wasHidden = advice.hidden;
    advice.hidden = !ticked;
    if (ticked && wasHidden) {
      advice.scrollIntoView({ behavior: "smooth", block: "start" });
    }
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "red_flags") { update(); }
  });
  update();
})();
