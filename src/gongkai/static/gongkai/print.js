// The print view opens the print dialog once loaded (not in automated browsers, e.g. the tests).
window.addEventListener("load", function () {
  if (!navigator.webdriver) {
    window.print();
  }
});
