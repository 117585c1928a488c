//! Driving the window headless: open a catalogue, wait for background work, type into a
//! labelled field.

use std::path::PathBuf;
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use procedure_catalogue::gui::CatalogueApp;

/// The app on a catalogue, once it is loaded and its first audit has run (both run on
/// threads of their own).
pub fn open(path: PathBuf) -> Harness<'static, CatalogueApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| CatalogueApp::new(cc, path));
    wait(&mut harness, |app| app.is_idle());
    harness
}

/// Steps the window until `done`, then lets it settle.
pub fn wait(harness: &mut Harness<'static, CatalogueApp>, done: impl Fn(&CatalogueApp) -> bool) {
    for _ in 0..4000 {
        harness.step();
        if done(harness.state()) {
            // Settle; a large table may take a few more frames than `run` allows.
            if harness.try_run().is_err() {
                harness.run_steps(8);
            }
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("timed out");
}

/// Steps until the background work (the audit after opening and after each change, an
/// undo, an import) is done.
pub fn settle(harness: &mut Harness<'static, CatalogueApp>) {
    wait(harness, |app| app.is_idle());
}

/// Focuses the text field a label names and types into it.
pub fn type_into(harness: &mut Harness<'static, CatalogueApp>, label: &str, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    harness.run();
}

/// Selects all the text of a labelled field and types over it.
pub fn replace_text(harness: &mut Harness<'static, CatalogueApp>, label: &str, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    harness.run();
}

/// After a test wrote to the file as another program would: lets the window notice it (it
/// looks once a second) and read the table again.
pub fn notice_outside_write(harness: &mut Harness<'static, CatalogueApp>) {
    std::thread::sleep(Duration::from_millis(1_200));
    harness.step();
    settle(harness);
}

/// Clicks the widget a label names, then lets the work it started finish.
pub fn click_and_settle(harness: &mut Harness<'static, CatalogueApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.step();
    settle(harness);
}

/// Opens a menu of the menu bar and clicks the item whose label contains `item`.
pub fn menu(harness: &mut Harness<'static, CatalogueApp>, menu: &str, item: &str) {
    harness.get_by_label(menu).click();
    harness.run();
    harness.get_by_label_contains(item).click();
    harness.step();
    settle(harness);
}
