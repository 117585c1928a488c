//! Submission channels (hình thức nộp): the national database gives time and fee per channel.

use crate::text::fold;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// Trực tiếp: in person.
    Direct,
    /// Trực tuyến: online.
    Online,
    /// Dịch vụ bưu chính: by post.
    Post,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Direct, Channel::Online, Channel::Post];

    pub fn label_vi(self) -> &'static str {
        match self {
            Channel::Direct => "Trực tiếp",
            Channel::Online => "Trực tuyến",
            Channel::Post => "Dịch vụ bưu chính",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Channel::Direct => "direct",
            Channel::Online => "online",
            Channel::Post => "post",
        }
    }

    fn parse(folded: &str) -> Option<Channel> {
        match folded {
            "truc tiep" | "nop truc tiep" => Some(Channel::Direct),
            "truc tuyen" | "nop truc tuyen" | "dich vu cong truc tuyen" => Some(Channel::Online),
            "dich vu buu chinh" | "buu chinh" | "qua dich vu buu chinh" | "buu chinh cong ich" => {
                Some(Channel::Post)
            }
            _ => None,
        }
    }
}

/// "Trực tuyến: 5 Ngày làm việc" → (Online, "5 Ngày làm việc"); a line with no channel
/// prefix comes back whole.
pub fn split_channel(line: &str) -> (Option<Channel>, &str) {
    if let Some((head, rest)) = line.split_once(':')
        && let Some(channel) = Channel::parse(fold(head).trim())
    {
        return (Some(channel), rest);
    }
    (None, line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_prefixes_are_split_off() {
        assert_eq!(
            split_channel("Trực tuyến: 5 Ngày làm việc"),
            (Some(Channel::Online), " 5 Ngày làm việc")
        );
        assert_eq!(
            split_channel("Dịch vụ bưu chính: Miễn phí"),
            (Some(Channel::Post), " Miễn phí")
        );
        assert_eq!(
            split_channel("Lệ phí: 50.000 đồng"),
            (None, "Lệ phí: 50.000 đồng")
        );
    }
}
