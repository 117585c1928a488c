//! Small widgets the panels share.

/// One row of a two-column grid: a label and the single-line text field it names
/// (labelled for screen readers and for kittest's queries).
pub fn labelled_text_row(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut String,
    hint: &str,
    id_salt: &str,
) -> egui::Response {
    let label = ui.label(label).id;
    let response = ui
        .add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(320.0)
                .id_salt(id_salt),
        )
        .labelled_by(label);
    ui.end_row();
    response
}
