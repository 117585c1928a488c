//! Everything the window can be asked to do, and the one table of the actions an officer
//! reaches by menu or keyboard. Views and dialogs push commands while they draw; the app
//! runs them after drawing, in one place (`app::commands`). The menu bar, the key handling
//! and the About box's list of shortcuts all read [`ACTIONS`], so they cannot drift apart.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::i18n::{Lang, tr};
use super::model::{ColumnKey, Facet};
use crate::domain::LegalDocument;
use crate::export::ExportKind;
use crate::import::{ImportOptions, ImportPlan};
use crate::store::{MergeRequest, VerdictKind};

/// The views of the window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Catalogue,
    Revisions,
    Audit,
    Documents,
    /// The 2025 move to two-level local government.
    TwoLevel,
    /// Merging another province's catalogue.
    Merge,
    /// Simplification: the savings report, every option, the cost model and targets.
    Simplify,
    /// The dashboard: counts, times, the costliest procedures, savings against targets.
    Dashboard,
}

/// What the officer exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportChoice {
    List,
    Annex,
    DiffReport,
}

/// The modal dialogs, to close one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialog {
    Open,
    Retire,
    Import,
    Export,
    About,
    Conflict,
}

/// What the reviewer asked for in the Audit view.
#[derive(Clone, Debug, PartialEq)]
pub enum AuditCommand {
    Rerun,
    /// A finding (index into the report) was selected: load its entries.
    Select(usize),
    Verdict {
        index: usize,
        kind: VerdictKind,
        note: String,
    },
    /// One verdict for many findings (indices into the report), in one transaction.
    Verdicts {
        indices: Vec<usize>,
        kind: VerdictKind,
        note: String,
    },
    Merge(Box<MergeRequest>),
}

/// What the officer asked for in the Documents view.
#[derive(Clone, Debug, PartialEq)]
pub enum DocumentCommand {
    /// Read the list again.
    Reload,
    /// Record what is known of a document (title, dates, repeal, replacement).
    Save(LegalDocument),
    /// Every procedure citing `old` cites `new` instead: one undoable batch.
    Recite { old: String, new: String },
}

/// What the officer asked for in the Revisions view.
#[derive(Clone, Debug, PartialEq)]
pub enum RevisionCommand {
    Create {
        name: String,
        note: String,
    },
    Compare {
        old: String,
        new: String,
    },
    Publish {
        name: String,
        decision: String,
        date: crate::domain::Date,
    },
}

/// What the officer asked for in the two-level view.
#[derive(Clone, Debug, PartialEq)]
pub enum TwoLevelCommand {
    /// Plan the move of every district procedure with these rules (the preview).
    Plan(crate::two_level::LevelRules),
    /// Override one row's outcome in the preview.
    Choose {
        procedure_id: i64,
        outcome: crate::two_level::Outcome,
    },
    /// List one field's rows (`None`: all).
    ShowField(Option<String>),
    /// Write the previewed plan as one undoable batch.
    Apply,
    /// Set the government model alone (an undoable batch).
    SetGovernment(crate::domain::government::GovernmentModel),
    /// Keep the rules in the catalogue (an undoable batch).
    SaveRules(crate::two_level::LevelRules),
}

/// What the officer asked for in the merge view.
#[derive(Clone, Debug, PartialEq)]
pub enum MergeCommand {
    /// Read the other file and plan the merge (the review); nothing is written.
    Plan {
        path: PathBuf,
        /// A revision of the other catalogue (empty: its working copy).
        revision: String,
        agencies: crate::merge_catalogue::AgencyMap,
        /// This catalogue's name in provenance (empty: its own).
        name: String,
    },
    ShowTab(super::views::merge::MergeTab),
    /// Whose value one pair keeps for one field.
    Choose {
        pair: usize,
        field: crate::domain::ProcedureField,
        side: crate::merge_catalogue::Side,
    },
    /// The same choice for a field in every pair.
    ChooseField(crate::domain::ProcedureField, crate::merge_catalogue::Side),
    /// Add an entry only the other has, or not.
    Include {
        index: usize,
        include: bool,
    },
    IncludeAll(bool),
    /// Write the reviewed merge as one undoable batch.
    Apply,
}

/// What the officer asked for about simplification (the form's options, the Simplify view,
/// the dashboard).
#[derive(Clone, Debug, PartialEq)]
pub enum SimplifyCommand {
    /// Record a new option (its number, who and when are filled in).
    Record(Box<crate::simplify::options::SimplificationOption>),
    /// Carry out an option on its procedure: one undoable batch.
    Apply(u32),
    SetState(u32, crate::simplify::options::OptionState),
    /// Compute the savings between two sides (revision names or `working`).
    Report {
        old: String,
        new: String,
    },
    /// Keep the cost model and the targets (one undoable batch).
    SaveSettings(
        Box<crate::simplify::cost::CostModel>,
        crate::simplify::targets::Targets,
    ),
    /// Write the report on screen as the workbook an officer signs.
    Export(PathBuf),
    /// Compute the dashboard again.
    Refresh,
    /// Show one procedure, named by code and level, in the Catalogue view.
    ShowEntry(String, crate::domain::Level),
}

/// Every intent of the window.
#[must_use]
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    ShowOpen,
    Open(PathBuf),
    /// File → New catalogue…
    ShowCreate,
    /// Create an empty catalogue file there and open it.
    CreateCatalogue(PathBuf),
    ShowImport,
    /// Plan an import (the preview); nothing is written.
    PlanImport {
        files: Vec<PathBuf>,
        options: ImportOptions,
    },
    /// Write a planned import in one transaction.
    WriteImport(Box<ImportPlan>),
    /// File → Export…; from the Revisions view, on the diff on screen.
    ShowExport(Option<ExportChoice>),
    Export {
        kind: ExportKind,
        output: PathBuf,
    },
    /// Stop the background import or export in progress.
    CancelJob,
    CloseDialog(Dialog),
    Quit,

    Undo,
    Redo,
    NewProcedure,
    Save,
    /// Save again with the choices of the conflict dialog.
    ResolveConflict,
    Revert,
    ShowRetire,
    Retire {
        reason: String,
        decision_number: String,
    },

    Select(i64),
    /// Select and put the cursor in the form.
    Edit(i64),
    /// Edit the selected procedure (Enter in the table).
    EditSelected,
    /// Move the selection by this many shown rows.
    MoveSelection(isize),
    SelectFirst,
    SelectLast,
    FocusSearch,
    SetSearch(String),
    ToggleFacet(Facet, String),
    ClearFilters,
    SortBy(ColumnKey),

    SetMode(Mode),
    ToggleFilters,
    ToggleForm,
    SetLang(Lang),
    ShowAbout,

    /// Show a procedure in the Catalogue view's form (from the Audit or Documents view).
    ShowProcedure(i64),
    Audit(AuditCommand),
    Revision(RevisionCommand),
    Document(DocumentCommand),
    TwoLevel(TwoLevelCommand),
    Merge(MergeCommand),
    Simplify(SimplifyCommand),
    /// Show only the rows with these values of a facet (a click on a dashboard bar).
    FilterTable(Facet, Vec<String>),
}

impl Command {
    /// Whether the command would drop unsaved changes in the form.
    pub fn leaves_form(&self) -> bool {
        matches!(
            self,
            Command::Open(_)
                | Command::CreateCatalogue(_)
                | Command::Select(_)
                | Command::Edit(_)
                | Command::ShowProcedure(_)
                | Command::NewProcedure
                | Command::MoveSelection(_)
                | Command::SelectFirst
                | Command::SelectLast
                | Command::ShowImport
        )
    }
}

/// The menus of the menu bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    File,
    Edit,
    View,
    Help,
}

impl Menu {
    pub const ALL: [Menu; 4] = [Menu::File, Menu::Edit, Menu::View, Menu::Help];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Menu::File => tr(lang, "Tệp", "File"),
            Menu::Edit => tr(lang, "Sửa", "Edit"),
            Menu::View => tr(lang, "Xem", "View"),
            Menu::Help => tr(lang, "Trợ giúp", "Help"),
        }
    }
}

/// Where a shortcut applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Whatever has the keyboard.
    Window,
    /// Not while typing in a field (Ctrl+Z belongs to the text then), nor in the
    /// Revisions view, which has nothing to undo.
    Editing,
    /// The table of the Catalogue view, when no field has the keyboard.
    Table,
}

/// One action of the menu and the keyboard.
pub struct Action {
    pub command: fn() -> Command,
    pub label: (&'static str, &'static str),
    pub keys: &'static [KeyboardShortcut],
    /// The menu and the group within it (groups are separated by a line).
    pub menu: Option<(Menu, u8)>,
    pub scope: Scope,
}

impl Action {
    pub fn label(&self, lang: Lang) -> &'static str {
        tr(lang, self.label.0, self.label.1)
    }
}

/// Rows a Page Up / Page Down moves.
pub const PAGE_ROWS: isize = 20;

const fn ctrl(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

const fn plain(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

const CTRL_SHIFT: Modifiers = Modifiers {
    alt: false,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: true,
};

/// Every action, in menu order.
pub const ACTIONS: &[Action] = &[
    Action {
        command: || Command::ShowCreate,
        label: ("Danh mục mới…", "New catalogue…"),
        keys: &[KeyboardShortcut::new(CTRL_SHIFT, Key::N)],
        menu: Some((Menu::File, 0)),
        scope: Scope::Window,
    },
    Action {
        command: || Command::ShowOpen,
        label: ("Mở…", "Open…"),
        keys: &[ctrl(Key::O)],
        menu: Some((Menu::File, 0)),
        scope: Scope::Window,
    },
    Action {
        command: || Command::ShowImport,
        label: ("Nhập danh sách…", "Import a list…"),
        keys: &[ctrl(Key::I)],
        menu: Some((Menu::File, 1)),
        scope: Scope::Window,
    },
    Action {
        command: || Command::ShowExport(None),
        label: ("Xuất…", "Export…"),
        keys: &[ctrl(Key::E)],
        menu: Some((Menu::File, 1)),
        scope: Scope::Window,
    },
    Action {
        command: || Command::Quit,
        label: ("Thoát", "Quit"),
        keys: &[ctrl(Key::Q)],
        menu: Some((Menu::File, 2)),
        scope: Scope::Window,
    },
    Action {
        command: || Command::Undo,
        label: ("Hoàn tác", "Undo"),
        keys: &[ctrl(Key::Z)],
        menu: Some((Menu::Edit, 0)),
        scope: Scope::Editing,
    },
    Action {
        command: || Command::Redo,
        label: ("Làm lại", "Redo"),
        keys: &[KeyboardShortcut::new(CTRL_SHIFT, Key::Z), ctrl(Key::Y)],
        menu: Some((Menu::Edit, 0)),
        scope: Scope::Editing,
    },
    Action {
        command: || Command::NewProcedure,
        label: ("Thêm thủ tục", "New procedure"),
        keys: &[ctrl(Key::N)],
        menu: Some((Menu::Edit, 1)),
        scope: Scope::Window,
    },
    Action {
        command: || Command::Save,
        label: ("Lưu", "Save"),
        keys: &[ctrl(Key::S)],
        menu: Some((Menu::Edit, 1)),
        scope: Scope::Window,
    },
    Action {
        command: || Command::Revert,
        label: ("Bỏ thay đổi chưa lưu", "Revert unsaved changes"),
        keys: &[],
        menu: Some((Menu::Edit, 1)),
        scope: Scope::Window,
    },
    Action {
        command: || Command::ShowRetire,
        label: ("Bãi bỏ khỏi danh mục…", "Retire…"),
        keys: &[],
        menu: Some((Menu::Edit, 1)),
        scope: Scope::Window,
    },
    Action {
        command: || Command::FocusSearch,
        label: ("Tìm kiếm", "Search"),
        keys: &[ctrl(Key::F)],
        menu: None,
        scope: Scope::Window,
    },
    Action {
        command: || Command::MoveSelection(1),
        label: ("Chọn dòng dưới", "Select the next row"),
        keys: &[plain(Key::ArrowDown)],
        menu: None,
        scope: Scope::Table,
    },
    Action {
        command: || Command::MoveSelection(-1),
        label: ("Chọn dòng trên", "Select the previous row"),
        keys: &[plain(Key::ArrowUp)],
        menu: None,
        scope: Scope::Table,
    },
    Action {
        command: || Command::MoveSelection(PAGE_ROWS),
        label: ("Xuống một trang", "One page down"),
        keys: &[plain(Key::PageDown)],
        menu: None,
        scope: Scope::Table,
    },
    Action {
        command: || Command::MoveSelection(-PAGE_ROWS),
        label: ("Lên một trang", "One page up"),
        keys: &[plain(Key::PageUp)],
        menu: None,
        scope: Scope::Table,
    },
    Action {
        command: || Command::SelectFirst,
        label: ("Chọn dòng đầu", "Select the first row"),
        keys: &[plain(Key::Home)],
        menu: None,
        scope: Scope::Table,
    },
    Action {
        command: || Command::SelectLast,
        label: ("Chọn dòng cuối", "Select the last row"),
        keys: &[plain(Key::End)],
        menu: None,
        scope: Scope::Table,
    },
    Action {
        command: || Command::EditSelected,
        label: ("Sửa thủ tục đang chọn", "Edit the selected procedure"),
        keys: &[plain(Key::Enter)],
        menu: None,
        scope: Scope::Table,
    },
    Action {
        command: || Command::ToggleFilters,
        label: ("Bảng bộ lọc", "Filters panel"),
        keys: &[],
        menu: Some((Menu::View, 0)),
        scope: Scope::Window,
    },
    Action {
        command: || Command::ToggleForm,
        label: ("Bảng chi tiết thủ tục", "Procedure panel"),
        keys: &[],
        menu: Some((Menu::View, 0)),
        scope: Scope::Window,
    },
    Action {
        command: || Command::ClearFilters,
        label: ("Xóa bộ lọc", "Clear filters"),
        keys: &[],
        menu: Some((Menu::View, 0)),
        scope: Scope::Window,
    },
    Action {
        command: || Command::ShowAbout,
        label: ("Giới thiệu và phím tắt", "About and shortcuts"),
        keys: &[],
        menu: Some((Menu::Help, 0)),
        scope: Scope::Window,
    },
];

/// What decides which shortcuts apply now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyContext {
    /// A text field has the keyboard.
    pub typing: bool,
    pub mode: Mode,
}

impl Scope {
    fn applies(self, context: KeyContext) -> bool {
        match self {
            Scope::Window => true,
            Scope::Editing => !context.typing && context.mode != Mode::Revisions,
            Scope::Table => !context.typing && context.mode == Mode::Catalogue,
        }
    }
}

/// The commands the keys pressed this frame ask for, consumed from the input. Shortcuts
/// with more modifiers are tried first, so Ctrl+Shift+Z is Redo, not Undo.
pub fn keyboard_commands(input: &mut egui::InputState, context: KeyContext) -> Vec<Command> {
    let mut keyed: Vec<(&Action, &KeyboardShortcut)> = ACTIONS
        .iter()
        .filter(|action| action.scope.applies(context))
        .flat_map(|action| action.keys.iter().map(move |key| (action, key)))
        .collect();
    let modifiers = |m: Modifiers| {
        [m.shift, m.alt, m.command || m.ctrl]
            .iter()
            .filter(|b| **b)
            .count()
    };
    keyed.sort_by_key(|(_, key)| std::cmp::Reverse(modifiers(key.modifiers)));
    let mut commands = Vec::new();
    for (action, key) in keyed {
        let pressed = if key.modifiers.is_none() {
            input.consume_key(Modifiers::NONE, key.logical_key)
        } else {
            input.consume_shortcut(key)
        };
        if pressed {
            commands.push((action.command)());
        }
    }
    commands
}

/// The About box's list: every action with a key, its keys as this platform writes them.
pub fn shortcut_rows(ctx: &egui::Context, lang: Lang) -> Vec<(String, &'static str)> {
    ACTIONS
        .iter()
        .filter(|action| !action.keys.is_empty())
        .map(|action| {
            let keys: Vec<String> = action
                .keys
                .iter()
                .map(|key| ctx.format_shortcut(key))
                .collect();
            (keys.join(", "), action.label(lang))
        })
        .collect()
}

/// The action that runs `command`, for the menu's shortcut text and enabled state.
pub fn action_of(command: &Command) -> Option<&'static Action> {
    ACTIONS.iter().find(|action| (action.command)() == *command)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Presses one shortcut in a fresh frame and returns what the key handling made of it.
    fn press(key: &KeyboardShortcut, context: KeyContext) -> Vec<Command> {
        let ctx = egui::Context::default();
        let mut raw = egui::RawInput::default();
        raw.events.push(egui::Event::Key {
            key: key.logical_key,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: key.modifiers,
        });
        let mut commands = Vec::new();
        let mut output = ctx.run_ui(raw, |ui| {
            commands = ui
                .ctx()
                .input_mut(|input| keyboard_commands(input, context));
        });
        // No renderer here to take the font atlas.
        output.textures_delta.clear();
        commands
    }

    #[test]
    fn every_shortcut_of_the_table_runs_its_command_and_no_other() {
        let context = KeyContext {
            typing: false,
            mode: Mode::Catalogue,
        };
        let mut seen = std::collections::HashSet::new();
        for action in ACTIONS {
            for key in action.keys {
                assert!(seen.insert(*key), "{key:?} is given twice");
                assert_eq!(press(key, context), [(action.command)()], "{key:?}");
            }
        }
    }

    #[test]
    fn the_about_box_lists_exactly_the_actions_with_keys() {
        let ctx = egui::Context::default();
        let rows = shortcut_rows(&ctx, Lang::En);
        let with_keys: Vec<&str> = ACTIONS
            .iter()
            .filter(|a| !a.keys.is_empty())
            .map(|a| a.label.1)
            .collect();
        assert_eq!(
            rows.iter().map(|(_, label)| *label).collect::<Vec<_>>(),
            with_keys
        );
        // Every menu shortcut the window handles is there: Import, Export and Quit too.
        for label in [
            "Import a list…",
            "Export…",
            "Quit",
            "Undo",
            "Redo",
            "Search",
        ] {
            assert!(with_keys.contains(&label), "{label}");
        }
    }

    #[test]
    fn typing_keeps_undo_and_the_arrows_for_the_text_field() {
        let typing = KeyContext {
            typing: true,
            mode: Mode::Catalogue,
        };
        assert!(press(&ctrl(Key::Z), typing).is_empty());
        assert!(press(&plain(Key::ArrowDown), typing).is_empty());
        assert_eq!(press(&ctrl(Key::S), typing), [Command::Save]);
        let revisions = KeyContext {
            typing: false,
            mode: Mode::Revisions,
        };
        assert!(press(&ctrl(Key::Z), revisions).is_empty());
        assert!(press(&plain(Key::Home), revisions).is_empty());
    }
}
