//! The core's errors as the window says them: in the officer's language, with the field
//! names the window uses, never an internal key. English is the core's own wording.

use crate::domain::{Expected, FieldError, ProcedureField};
use crate::export::ExportError;
use crate::import::ImportError;
use crate::import::notes::{Notice, RowProblem, SkipReason};
use crate::store::{EntryProblem, StoreError};

use super::i18n::{Lang, field_label};

/// An error as the window shows it.
pub trait Message {
    fn message(&self, lang: Lang) -> String;
}

impl Message for StoreError {
    fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        use StoreError as E;
        match self {
            E::NotFound(path) => format!(
                "{}: không có tệp danh mục này. Kiểm tra đường dẫn, hoặc tạo danh mục mới (Tệp → Danh mục mới…)",
                path.display()
            ),
            E::AlreadyExists(path) => format!(
                "{}: tệp đã có. Chọn tên khác, hoặc mở danh mục đó",
                path.display()
            ),
            E::IsDirectory(path) => format!(
                "{}: là thư mục, không phải tệp danh mục. Chọn một tệp .sqlite",
                path.display()
            ),
            E::Empty(path) => format!(
                "{}: tệp rỗng (0 byte), không phải danh mục. Mở một tệp danh mục, hoặc tạo danh mục mới",
                path.display()
            ),
            E::NotSqlite(path) => format!(
                "{}: không phải cơ sở dữ liệu SQLite nên không phải danh mục. Mở tệp .sqlite do procedure-catalogue tạo",
                path.display()
            ),
            E::Truncated {
                path,
                expected,
                actual,
            } => format!(
                "{}: tệp bị cắt cụt ({actual} byte, phần đầu tệp ghi {expected}) và không có tệp -wal bên cạnh. Nếu tệp được chép sang, chép lại cùng tệp -wal của nó (nếu có); nếu không, khôi phục từ bản sao lưu",
                path.display()
            ),
            E::Corrupt { path, detail } => format!(
                "{}: cơ sở dữ liệu bị hỏng ({detail}). Khôi phục từ bản sao lưu",
                path.display()
            ),
            E::ForeignDatabase(path) => format!(
                "{}: cơ sở dữ liệu SQLite của ứng dụng khác, không phải danh mục thủ tục. Mở tệp danh mục, hoặc nhập danh sách vào danh mục mới",
                path.display()
            ),
            E::NewerSchema {
                path,
                found,
                supported,
            } => format!(
                "{}: tạo bởi phiên bản procedure-catalogue mới hơn (lược đồ {found}, bản này đọc được đến {supported}). Hãy cập nhật ứng dụng",
                path.display()
            ),
            E::OlderSchemaReadOnly {
                path,
                found,
                supported,
            } => format!(
                "{}: lược đồ {found} cũ hơn {supported} của bản này và tệp chỉ được mở để đọc. Mở một lần với quyền ghi để nâng cấp",
                path.display()
            ),
            E::ReadOnly(path) => format!(
                "{}: tệp chỉ đọc. Cho phép ghi, hoặc chép tệp sang nơi ghi được, để sửa",
                path.display()
            ),
            E::Io { path, source } => {
                format!("{}: không đọc được tệp: {source}", path.display())
            }
            E::Invalid {
                code,
                level: _,
                problem,
            } => {
                let what = match problem {
                    EntryProblem::NoCode => "chưa có mã thủ tục; điền mã TTHC".to_owned(),
                    EntryProblem::NoName => "chưa có tên; điền tên TTHC".to_owned(),
                    EntryProblem::NoLevel => {
                        "chưa có cấp thực hiện; chọn cấp tỉnh, huyện hoặc xã".to_owned()
                    }
                    EntryProblem::Retired => {
                        "đã bãi bỏ khỏi danh mục nên không sửa được".to_owned()
                    }
                    EntryProblem::Field(error) => field_problem(lang, error),
                };
                format!("Thủ tục {code}: {what}")
            }
            E::NotFoundProcedure(id) => format!(
                "Không còn thủ tục số {id} trong danh mục (có thể người khác đã xóa). Mở lại danh mục"
            ),
            E::DuplicateIdentity { code, level } => format!(
                "{code} ({}) đã có trong danh mục. Sửa thủ tục đó thay vì thêm mới",
                level_vi(level)
            ),
            E::RevisionNotFound { name, path } => {
                format!("Không có phiên bản \"{name}\" trong {}", path.display())
            }
            E::RevisionExists(name) => {
                format!("Đã có phiên bản tên \"{name}\". Chọn tên khác")
            }
            E::RevisionName(name) => format!(
                "\"{name}\" không dùng làm tên phiên bản được: cần một tên không rỗng, khác \"working\" (và số quyết định để công bố)"
            ),
            E::AlreadyPublished {
                name,
                decision,
                date,
                by,
            } => format!(
                "Phiên bản \"{name}\" đã được {by} công bố theo Quyết định {decision} ngày {date} nên không sửa được. Tạo phiên bản mới để thay đổi"
            ),
            E::Conflicts(conflicts) => {
                let mut text = format!(
                    "{} thay đổi trùng với những gì chương trình khác vừa ghi, nên chưa ghi gì:",
                    conflicts.len()
                );
                for conflict in conflicts.iter().take(10) {
                    match conflict.field {
                        Some(field) => text.push_str(&format!(
                            "\n  {} ({}) — {}: hiện là «{}», của bạn «{}»",
                            conflict.code,
                            conflict.level.label_vi(),
                            field_label(lang, field),
                            conflict.theirs,
                            conflict.mine
                        )),
                        None => text.push_str(&format!(
                            "\n  {} ({}): đã bị bãi bỏ khỏi danh mục",
                            conflict.code,
                            conflict.level.label_vi()
                        )),
                    }
                }
                if conflicts.len() > 10 {
                    text.push_str(&format!("\n  … và {} thay đổi khác", conflicts.len() - 10));
                }
                text
            }
            E::SealBroken(name) => format!(
                "Phiên bản \"{name}\": niêm phong bị phá — phiên bản đã công bố bị sửa bên ngoài ứng dụng, nên không thể tin nội dung của nó. Khôi phục danh mục từ bản sao lưu"
            ),
            E::VerdictNeedsNote(_) => "Kết luận này cần ghi lý do: điền vào ô ghi chú".to_owned(),
            E::NotInWorkingCopy(id) => {
                format!("Thủ tục số {id} không còn trong danh mục đang sửa. Chạy lại rà soát")
            }
            E::Migration { path, detail } => format!(
                "{}: nâng cấp lược đồ không thành công: {detail}",
                path.display()
            ),
            E::DocumentNotFound(number) => {
                format!("Không có văn bản số hiệu \"{number}\" trong danh mục")
            }
            E::ReplacementNeeded(number) => {
                format!("\"{number}\": ghi số hiệu văn bản thay thế (không rỗng, khác số hiệu cũ)")
            }
            E::Cancelled => "Đã dừng trước khi ghi; danh mục không thay đổi".to_owned(),
            E::Busy { waited_secs } => format!(
                "Một chương trình khác đang ghi vào danh mục (cửa sổ khác, hoặc lệnh nhập); đã chờ {waited_secs} giây. Thử lại khi việc đó xong — những gì bạn đang sửa vẫn còn"
            ),
            E::NotAFile(path) => format!(
                "{}: không phải tệp thông thường (thiết bị, đường ống hoặc liên kết hỏng). Chọn một tệp .sqlite",
                path.display()
            ),
            E::Sqlite(error) => format!("Lỗi cơ sở dữ liệu danh mục: {error}"),
        }
    }
}

fn level_vi(key: &str) -> &str {
    match crate::domain::Level::parse(key) {
        Some(level) => level.label_vi(),
        None => key,
    }
}

impl Message for ImportError {
    fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        use ImportError as E;
        match self {
            E::UnsupportedFile(path) => format!(
                "{}: không nhập được loại tệp này. Chọn tệp .csv hoặc .xlsx",
                path.display()
            ),
            E::Io { path, source } => {
                format!("{}: không đọc được tệp: {source}", path.display())
            }
            E::NotUtf8 { path, line } => format!(
                "{}, dòng {line}: văn bản không phải UTF-8. Trong Excel, lưu lại dạng \"CSV UTF-8 (Comma delimited)\"",
                path.display()
            ),
            E::Csv { path, line, detail } => format!(
                "{}, dòng {line}: không đọc được tệp CSV ({detail})",
                path.display()
            ),
            E::Xlsx { path, detail } => format!(
                "{}: không đọc được sổ Excel ({detail}). Mở bằng Excel rồi lưu lại dạng .xlsx",
                path.display()
            ),
            E::FarCell { path, sheet, cell } => format!(
                "{}, trang \"{sheet}\", ô {cell}: có giá trị nằm ngoài 1.024 cột đầu, nơi không danh sách thủ tục nào dùng tới. Xóa giá trị đó trong Excel rồi lưu lại",
                path.display()
            ),
            E::UnclosedQuote { path, line } => format!(
                "{}, dòng {line}: một ô mở dấu nháy kép (\") ở đây mà không đóng, nên mọi dòng sau sẽ bị đọc vào ô đó. Đóng dấu nháy rồi lưu lại",
                path.display()
            ),
            E::InputNotFound(path) => {
                format!("{}: không có tệp này. Kiểm tra đường dẫn", path.display())
            }
            E::InputIsDirectory(path) => format!(
                "{}: là thư mục, không phải danh sách. Chọn tệp .csv hoặc .xlsx",
                path.display()
            ),
            E::InputNotAFile(path) => format!(
                "{}: không phải tệp thông thường (thiết bị, đường ống hoặc liên kết hỏng). Chọn tệp .csv hoặc .xlsx",
                path.display()
            ),
            E::NoHeader(path) => format!(
                "{}: không thấy dòng tiêu đề trong 10 dòng đầu. Danh sách thủ tục cần cột mã (\"Mã số\" hoặc \"Mã TTHC\") và cột tên (\"Tên\" hoặc \"Tên TTHC\"); danh sách văn bản cần \"Số ký hiệu\" và \"Trích yếu\"",
                path.display()
            ),
            E::Rejected(rows) => format!(
                "{} dòng không nhập được nên chưa nhập gì. Xem từng dòng ở thẻ \"Bị từ chối\"; sửa tệp, hoặc đánh dấu \"Bỏ qua các dòng bị từ chối…\"",
                rows.len()
            ),
            E::LevelUnknown(rows) => format!(
                "{} dòng không rõ cấp thực hiện nên chưa nhập gì. Chọn cấp cho nhóm ở thẻ \"Chưa rõ cấp\"",
                rows.len()
            ),
            E::Cancelled => "Đã dừng nhập trước khi ghi; danh mục không thay đổi".to_owned(),
            E::Store(error) => error.message(lang),
        }
    }
}

impl Message for ExportError {
    fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        use ExportError as E;
        match self {
            E::UnsupportedOutput(path) => format!(
                "{}: không xuất được ra loại tệp này. Đặt tên tệp có đuôi .xlsx hoặc .csv",
                path.display()
            ),
            E::OutputIsCatalogue(path) => format!(
                "{}: đó chính là tệp danh mục. Đặt tên khác cho tệp xuất",
                path.display()
            ),
            E::NoPublishedRevision { target } => format!(
                "Chưa có phiên bản đã công bố để so với \"{target}\". Công bố danh mục trước, hoặc chọn phiên bản để so"
            ),
            E::Write { path, source } => format!(
                "{}: không ghi được tệp ({source}). Chọn thư mục hoặc tên tệp khác; nếu tệp đang mở trong Excel, đóng nó trước",
                path.display()
            ),
            E::Xlsx { path, detail } => {
                format!("{}: không ghi được sổ Excel ({detail})", path.display())
            }
            E::Cancelled => "Đã dừng xuất; không tệp nào được ghi".to_owned(),
            E::Store(error) => error.message(lang),
        }
    }
}

/// What the form says beside a field whose text cannot be its value.
pub fn field_problem(lang: Lang, problem: &FieldError) -> String {
    if lang == Lang::En {
        return format!(
            "\"{}\" is not {}",
            problem.value,
            problem.expected.describe_en()
        );
    }
    let expected = match problem.expected {
        Expected::Level => "một cấp (tỉnh, huyện hoặc xã)",
        Expected::Tier => "mức độ từ 1 đến 4",
        Expected::Status => "một tình trạng (còn hiệu lực, sửa đổi, thay thế, bãi bỏ)",
        Expected::Date => "một ngày (ngày/tháng/năm)",
        Expected::Count => "một số nguyên",
        Expected::KeptColumns => "các cột như ứng dụng này ghi",
    };
    format!("\"{}\" không phải {expected}", problem.value)
}

/// "Required" beside an empty field that must be filled.
pub fn required(lang: Lang, field: ProcedureField) -> String {
    match lang {
        Lang::Vi => format!("Cần điền {}", field_label(lang, field).to_lowercase()),
        Lang::En => "required".to_owned(),
    }
}

impl Message for RowProblem {
    fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            RowProblem::NoCode => "Không có mã (Mã số): thủ tục nào cũng cần mã".to_owned(),
            RowProblem::ControlCharacter(code) => {
                format!("{code}: mã chứa ký tự điều khiển; gõ lại mã")
            }
            RowProblem::NoName { code } => {
                format!("{code}: không có tên (Tên): thủ tục nào cũng cần tên")
            }
            RowProblem::UnknownLevel { code, text } => format!(
                "{code}: không rõ cấp \"{text}\"; ghi tỉnh, huyện hoặc xã, hoặc một danh sách như \"Cấp tỉnh, Cấp xã\""
            ),
            RowProblem::Twice {
                code,
                level,
                first_file,
                first_row,
                same_file,
            } => {
                let place = if *same_file {
                    format!("dòng {first_row}")
                } else {
                    format!("{first_file}, dòng {first_row}")
                };
                format!(
                    "{code} ({}) đã có ở {place} của lần nhập này; giữ một trong hai dòng",
                    level.label_vi()
                )
            }
            RowProblem::BadValue { code, error } => {
                format!("{code}: {}", field_problem(lang, error))
            }
            RowProblem::UnknownTier { code, value } => format!(
                "{code}: không rõ mức độ \"{value}\"; ghi 1 đến 4, \"Toàn trình\" hoặc \"Một phần\""
            ),
            RowProblem::Several(problems) => problems
                .iter()
                .map(|p| p.message(lang))
                .collect::<Vec<_>>()
                .join("; "),
            RowProblem::NoDocumentNumber => {
                "Không có số ký hiệu: văn bản nào cũng cần số ký hiệu".to_owned()
            }
            RowProblem::DocumentTwice {
                number,
                first_file,
                first_row,
            } => format!(
                "{number}: có hai lần (lần đầu ở {first_file}, dòng {first_row}); giữ một dòng"
            ),
        }
    }
}

impl Message for SkipReason {
    fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            SkipReason::NoLevel => {
                "Không có cột cấp thực hiện, cũng không có cơ quan để biết cấp".to_owned()
            }
            SkipReason::AgencyDoesNotTell(agency) => {
                format!("Tên cơ quan \"{agency}\" không cho biết cấp")
            }
            SkipReason::Column(said) => format!("Cấp thực hiện: {said}"),
            SkipReason::NotLocal(agency) => {
                format!("Cơ quan \"{agency}\" không thuộc chính quyền địa phương")
            }
        }
    }
}

impl Message for Notice {
    fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let extra = ProcedureField::Extra.header_vi();
        match self {
            Notice::KeptColumns(columns) => format!(
                "Các cột chưa có trường tương ứng, được giữ cùng từng thủ tục trong \"{extra}\": {}",
                columns.join(", ")
            ),
            Notice::CentralAtGivenLevel { code, agency } => format!(
                "{code}: cơ quan \"{agency}\" có vẻ thuộc trung ương nhưng được xếp vào cấp đã chọn cho lần nhập"
            ),
            Notice::TimeAsText { code, value } => format!(
                "{code}: thời hạn \"{value}\" chưa đọc chắc được số và đơn vị; giữ nguyên văn bản"
            ),
            Notice::FeeAsText { code, value, why } => format!(
                "{code}: phí, lệ phí \"{value}\": {}; giữ nguyên văn bản, không ghi số tiền",
                why.explain_vi()
            ),
            Notice::ValueKeptAside { code, error } => format!(
                "{code}: {}; giữ trong \"{extra}\"",
                field_problem(lang, error)
            ),
            Notice::DocumentDate {
                number,
                column,
                text,
            } => format!(
                "{number}: {column} \"{text}\" không phải ngày (ghi 30/06/2017); giữ như cũ"
            ),
        }
    }
}

impl Message for crate::two_level::MigrationError {
    fn message(&self, lang: Lang) -> String {
        use crate::two_level::MigrationError as E;
        match self {
            E::Store(error) => error.message(lang),
            E::Rows(rows) if lang == Lang::Vi => {
                let mut text = format!(
                    "{} thủ tục cấp huyện không thể xử lý như đã chọn:",
                    rows.len()
                );
                for (code, problem) in rows.iter().take(10) {
                    text.push_str(&format!("\n  {code}: {problem}"));
                }
                text
            }
            E::Rules(error) if lang == Lang::Vi => format!(
                "Không đọc được quy tắc chuyển cấp: {error}. Sửa lại trong màn hình Chính quyền 2 cấp"
            ),
            other => other.to_string(),
        }
    }
}

impl Message for crate::merge_catalogue::MergeError {
    fn message(&self, lang: Lang) -> String {
        use crate::merge_catalogue::MergeError as E;
        match self {
            E::Store(error) => error.message(lang),
            E::Import(error) => error.message(lang),
            E::SameFile(path) if lang == Lang::Vi => format!(
                "{}: đây là danh mục đang mở; hãy chọn tệp của tỉnh kia",
                path.display()
            ),
            other => other.to_string(),
        }
    }
}

impl Message for crate::simplify::options::OptionError {
    fn message(&self, lang: Lang) -> String {
        use crate::simplify::options::OptionError as E;
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            E::Incomplete(_, what) => {
                let what = match *what {
                    "the code it goes into (--into)" => "mã thủ tục được gộp vào",
                    "the new processing time (--time)" => "thời hạn giải quyết mới",
                    "which papers go (--drop N)" => "thành phần hồ sơ bỏ đi",
                    "the new fee (--fee)" => "mức phí, lệ phí mới",
                    "the requirements that remain (--requirements)" => "yêu cầu, điều kiện còn lại",
                    _ => "cấp hoặc cơ quan thực hiện mới",
                };
                format!("Phương án cần nêu rõ {what}")
            }
            E::AlreadyCarriedOut(number) => format!("Phương án {number} đã được thực hiện"),
            E::Rejected(number) => format!(
                "Phương án {number} không được chấp thuận: chuyển về «Đề xuất» hoặc «Được chấp thuận» trước khi áp dụng"
            ),
            E::UnreadableTime(text) => {
                format!("Không đọc được thời hạn «{text}»: ghi như «10 ngày làm việc»")
            }
            E::Outdated(number, what) => format!(
                "Phương án {number} được lập trên {} cũ, nay đã sửa: lập lại phương án trên nội dung hiện tại",
                if *what == "dossier" {
                    "thành phần hồ sơ"
                } else {
                    "yêu cầu, điều kiện"
                }
            ),
        }
    }
}

impl Message for crate::simplify::SimplifyError {
    fn message(&self, lang: Lang) -> String {
        use crate::simplify::SimplifyError as E;
        match self {
            E::Store(error) => error.message(lang),
            E::Option(error) => error.message(lang),
            _ if lang == Lang::En => self.to_string(),
            E::NoProcedure(key) => format!("Không có thủ tục «{key}» trong bản làm việc"),
            E::AmbiguousProcedure(code) => format!("Mã {code} có ở nhiều cấp: chọn đúng cấp"),
            E::NoOption(number) => format!("Không có phương án số {number}"),
        }
    }
}
