//! Markdown to HTML for text people write (requirement descriptions): CommonMark with tables,
//! strike-through and task lists. Raw HTML is shown as text, links keep only safe schemes,
//! and images become links (a remote image would tell its host who read the page).

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

fn safe_url(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    if u.starts_with("//") {
        return false;
    }
    match u.split_once(':') {
        // A colon before any slash is a scheme.
        Some((scheme, _)) if !scheme.contains('/') && !scheme.contains('?') && !scheme.contains('#') => {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// Renders `src` to HTML that is safe to put into a page as is.
pub fn render(src: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(src, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let dest_url = if safe_url(&dest_url) { dest_url } else { CowStr::Borrowed("#") };
            Event::Start(Tag::Link { link_type, dest_url, title, id })
        }
        Event::Start(Tag::Image { dest_url, title, id, .. }) => {
            let dest_url = if safe_url(&dest_url) { dest_url } else { CowStr::Borrowed("#") };
            Event::Start(Tag::Link { link_type: LinkType::Inline, dest_url, title, id })
        }
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    });
    let mut out = String::with_capacity(src.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_renders_and_html_does_not() {
        let out = render("# 标题\n\n- **必须** 支持\n\n<script>alert(1)</script>\n\n<b onclick=x>hi</b>");
        assert!(out.contains("<h1>标题</h1>") && out.contains("<strong>必须</strong>"), "{out}");
        assert!(!out.contains("<script") && !out.contains("<b "), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }

    #[test]
    fn only_safe_links_survive_and_images_become_links() {
        let out = render("[a](javascript:alert(1)) [b](https://example.com) [c](/engagements/1) [d](JaVaScRiPt:x)");
        assert!(!out.to_lowercase().contains("javascript"), "{out}");
        assert!(out.contains(r#"href="https://example.com""#) && out.contains(r#"href="/engagements/1""#), "{out}");
        let out = render("![logo](https://tracker.example/p.gif)");
        assert!(!out.contains("<img") && out.contains(r#"<a href="https://tracker.example/p.gif">logo</a>"#), "{out}");
        assert!(render("[x](//evil.example)").contains(r##"href="#""##));
    }
}
