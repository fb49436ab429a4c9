use super::*;

#[test]
fn aws_files_are_known_by_content() {
    let cases = [
        (
            "[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n",
            Some(FileKind::Credentials),
        ),
        (
            "# ci\r\n[profile deploy]\r\nrole_arn = arn:aws:iam::123456789012:role/d\r\nsource_profile = default\r\n",
            Some(FileKind::Config),
        ),
        ("[profile dev]\nregion = eu-west-1\n", Some(FileKind::Config)),
        (
            "[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\n",
            Some(FileKind::Config),
        ),
        (
            "[ci]\naws_access_key_id=AKIAEXAMPLE\n[profile x]\ncredential_process = /bin/creds\n",
            Some(FileKind::Config),
        ),
        (
            "[default]\ns3 =\n  max_concurrency = 4\nrole_arn = arn:aws:iam::123456789012:role/r\n",
            Some(FileKind::Config),
        ),
    ];
    for (text, kind) in cases {
        assert!(may_be_aws_ini(text.as_bytes()), "{text}");
        assert_eq!(kind_by_content(text), kind, "{text}");
    }
}

#[test]
fn other_ini_dialects_are_not_aws_files() {
    let others = [
        // git config
        "[core]\n\trepositoryformatversion = 0\n[remote \"origin\"]\n\turl = git@example.com:x.git\n[credential]\n\thelper = aws_helper\n",
        // .editorconfig
        "root = true\n[*.py]\nindent_size = 4\n",
        // tox.ini
        "[tox]\nenvlist = py311\n[testenv]\npassenv = AWS_*\nsetenv =\n    AWS_ACCESS_KEY_ID = testing\ncommands = pytest\n",
        // setup.cfg
        "[metadata]\nname = aws_tools\n[options]\npackages = find:\n[flake8]\nmax-line-length = 100\n",
        // php.ini
        "[PHP]\nengine = On\nshort_open_tag = Off\n[Session]\nsession.name = PHPSESSID\n",
        // systemd unit
        "[Unit]\nDescription=aws_sync\n[Service]\nEnvironment=AWS_ACCESS_KEY_ID=x\nExecStart=/usr/bin/sync\n[Install]\nWantedBy=multi-user.target\n",
        // desktop file
        "[Desktop Entry]\nName=AWS Console\nExec=aws_console\nType=Application\n",
        // dotenv, shell
        "AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nAWS_SECRET_ACCESS_KEY=x\n",
        "#!/bin/sh\n[ -n \"$x\" ] && export aws_access_key_id=1\n",
        // region alone is every cloud tool's
        "[default]\nregion = eu-west-1\noutput = json\n",
    ];
    for text in others {
        assert_eq!(kind_by_content(text), None, "{text}");
    }
}

fn config(text: &str) -> IniFile {
    parse_ini(text, FileKind::Config)
}

fn creds(text: &str) -> IniFile {
    parse_ini(text, FileKind::Credentials)
}

fn section<'a>(file: &'a IniFile, kind: SectionKind, name: &str) -> &'a IniSection {
    match file
        .sections
        .iter()
        .find(|s| s.kind == kind && s.name == name)
    {
        Some(s) => s,
        None => panic!("no section {kind:?} {name:?} in {file:?}"),
    }
}

fn value<'a>(section: &'a IniSection, key: &str) -> &'a str {
    match section.get(key) {
        Some(e) => e.value.as_str(),
        None => panic!("no key {key:?}"),
    }
}

fn slice(text: &str, span: &Range<usize>) -> String {
    text.get(span.clone())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("span {span:?} not in text"))
}

#[test]
fn empty_and_blank_files_have_nothing() {
    for text in ["", "\n", " \t\n\r\n", "# only a comment\n; another"] {
        let file = config(text);
        assert!(file.sections.is_empty(), "{text:?}");
        assert!(file.errors.is_empty(), "{text:?}");
    }
}

#[test]
fn config_section_kinds() {
    let text = "[default]\nregion = eu-west-1\n\
                [profile dev]\nrole_arn = arn:aws:iam::111122223333:role/dev\n\
                [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n\
                [services local]\ns3 =\n  endpoint_url = http://localhost:4566\n\
                [stray]\nregion = us-east-1\n\
                [profile default]\noutput = json\n";
    let file = config(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let kinds: Vec<(SectionKind, &str)> = file
        .sections
        .iter()
        .map(|s| (s.kind.clone(), s.name.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (SectionKind::Default, "default"),
            (SectionKind::Profile, "dev"),
            (SectionKind::SsoSession, "corp"),
            (SectionKind::Services, "local"),
            (SectionKind::Other, "stray"),
            (SectionKind::Profile, "default"),
        ]
    );
    assert_eq!(
        value(section(&file, SectionKind::Profile, "dev"), "role_arn"),
        "arn:aws:iam::111122223333:role/dev"
    );
}

#[test]
fn header_whitespace_is_tolerated() {
    let text = "[ profile  foo ]\n[profile\tbar]\n[\tdefault ]\n[profile \tbaz \t]";
    let file = config(text);
    assert!(file.errors.is_empty());
    let names: Vec<&str> = file.sections.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["foo", "bar", "default", "baz"]);
    let foo = section(&file, SectionKind::Profile, "foo");
    assert_eq!(foo.header_span, 0..16);
    assert_eq!(slice(text, &foo.name_span), "foo");
    assert_eq!(section(&file, SectionKind::Default, "default").line, 3);
}

#[test]
fn names_the_sdks_reject_become_other() {
    let file = config(
        "[profile in valid]\nx = 1\n[profile foo!bar]\n[profilefoo]\n\
         [sso-sesion foo]\n[Profile foo]\n[profile ok-name_1/2.3%4@5:6+]",
    );
    assert!(file.errors.is_empty());
    let got: Vec<(SectionKind, &str)> = file
        .sections
        .iter()
        .map(|s| (s.kind.clone(), s.name.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (SectionKind::Other, "profile in valid"),
            (SectionKind::Other, "profile foo!bar"),
            (SectionKind::Other, "profilefoo"),
            (SectionKind::Other, "sso-sesion foo"),
            (SectionKind::Other, "Profile foo"),
            (SectionKind::Profile, "ok-name_1/2.3%4@5:6+"),
        ]
    );
    // Entries of an Other section are still there for callers to inspect.
    assert_eq!(value(&file.sections[0], "x"), "1");
}

#[test]
fn credentials_section_kinds() {
    let file = creds(
        "[default]\naws_access_key_id = AKIDEXAMPLE\n[ ci ]\n[profile ci]\n\
         [sso-session x]\n[sso-sessionx]\n[in valid]",
    );
    assert!(file.errors.is_empty());
    let got: Vec<(SectionKind, &str)> = file
        .sections
        .iter()
        .map(|s| (s.kind.clone(), s.name.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (SectionKind::Default, "default"),
            (SectionKind::Credentials, "ci"),
            (SectionKind::Other, "profile ci"),
            (SectionKind::Other, "sso-session x"),
            (SectionKind::Credentials, "sso-sessionx"),
            (SectionKind::Other, "in valid"),
        ]
    );
}

#[test]
fn properties_and_spans() {
    let text = "[profile p]\nregion=us-east-1\n  \nName \t=  \tva=lue \t\nempty =\t \n";
    let file = config(text);
    assert!(file.errors.is_empty());
    let p = section(&file, SectionKind::Profile, "p");
    assert_eq!(p.entries.len(), 3);
    let region = &p.entries[0];
    assert_eq!((region.key.as_str(), region.line), ("region", 2));
    assert_eq!(slice(text, &region.key_span), "region");
    assert_eq!(slice(text, &region.value_span), "us-east-1");
    let name = &p.entries[1];
    assert_eq!(name.key, "Name", "keys keep their case");
    assert_eq!(name.value, "va=lue", "only the first '=' splits");
    assert_eq!(slice(text, &name.value_span), "va=lue");
    assert_eq!(name.line, 4);
    let empty = &p.entries[2];
    assert_eq!(empty.value, "");
    let eq = text.find("empty =").map(|i| i + "empty =".len());
    assert_eq!(Some(empty.value_span.start), eq);
    assert!(empty.value_span.is_empty());
}

#[test]
fn inline_comments() {
    let text = "# full line\n; also full line\n[profile foo] # after header\n\
                a = value # comment with # sign\nb = value ; comment\n\
                c = value#kept\nd = value;kept\ne = ;only a comment\n\
                [profile bar]; adjacent\n[profile baz]#adjacent";
    let file = config(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let foo = section(&file, SectionKind::Profile, "foo");
    assert_eq!(value(foo, "a"), "value");
    assert_eq!(value(foo, "b"), "value");
    assert_eq!(value(foo, "c"), "value#kept");
    assert_eq!(value(foo, "d"), "value;kept");
    let a = foo.get("a").map(|e| slice(text, &e.value_span));
    assert_eq!(a.as_deref(), Some("value"));
    assert_eq!(foo.header_span.len(), "[profile foo]".len());
    section(&file, SectionKind::Profile, "bar");
    section(&file, SectionKind::Profile, "baz");
}

#[test]
fn continuation_lines() {
    let text = "[profile foo]\nname = value\n -continued # not a comment\n\
                # a comment line does not end the value\n\t-and-continued \t\nnext = 1";
    let file = config(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let foo = section(&file, SectionKind::Profile, "foo");
    let name = foo
        .get("name")
        .map(|e| (e.value.clone(), e.line, e.value_span.clone()));
    let Some((val, line, span)) = name else {
        panic!("no name")
    };
    assert_eq!(val, "value\n-continued # not a comment\n-and-continued");
    assert_eq!(line, 2);
    assert!(slice(text, &span).starts_with("value\n -continued"));
    assert!(slice(text, &span).ends_with("\t-and-continued"));
    assert_eq!(value(foo, "next"), "1");
}

#[test]
fn sub_sections() {
    let text = "[profile foo]\ns3 =\n  max_concurrent_requests = 10\n\n\
                \tmax_queue_size=1000 # kept as written\n  addressing_style =\nregion = x\n";
    let file = config(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let foo = section(&file, SectionKind::Profile, "foo");
    let Some(s3) = foo.get("s3") else {
        panic!("no s3")
    };
    assert_eq!(s3.value, "");
    assert_eq!(s3.line, 2);
    let subs: Vec<(&str, &str, usize)> = s3
        .sub
        .iter()
        .map(|e| (e.key.as_str(), e.value.as_str(), e.line))
        .collect();
    assert_eq!(
        subs,
        vec![
            ("max_concurrent_requests", "10", 3),
            ("max_queue_size", "1000 # kept as written", 5),
            ("addressing_style", "", 6),
        ]
    );
    assert_eq!(slice(text, &s3.sub[0].key_span), "max_concurrent_requests");
    assert_eq!(slice(text, &s3.sub[1].value_span), "1000 # kept as written");
    assert_eq!(value(foo, "region"), "x");
}

#[test]
fn bad_sub_properties_are_errors_and_parsing_goes_on() {
    let file = config("[profile foo]\ns3 =\n  invalid\n  = value\n  ok = 1\n");
    let messages: Vec<(usize, &str)> = file
        .errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    assert_eq!(messages, vec![(3, MSG_SUB_NO_EQUALS), (4, MSG_SUB_NO_NAME)]);
    let foo = section(&file, SectionKind::Profile, "foo");
    let subs = foo.get("s3").map(|e| e.sub.len());
    assert_eq!(subs, Some(1));
}

#[test]
fn errors_keep_parsing() {
    let text = "orphan = 1\n  indented orphan\n[default]\n= us-east-1\n  dropped\n\
                key : value\n[profile a]\n  no property\n[profile b\nlost = 1\n\
                []\n[profile c] trailing\n[profile ok]\nregion = us-west-2\n";
    let file = config(text);
    let messages: Vec<(usize, &str)> = file
        .errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        vec![
            (1, MSG_PROPERTY_BEFORE_SECTION),
            (4, MSG_NO_NAME),
            (6, MSG_NO_EQUALS),
            (8, MSG_CONTINUATION_WITHOUT_PROPERTY),
            (9, MSG_HEADER_UNTERMINATED),
            (11, MSG_HEADER_EMPTY),
            (12, MSG_HEADER_UNTERMINATED),
        ]
    );
    assert_eq!(slice(text, &file.errors[1].span), "= us-east-1");
    assert_eq!(slice(text, &file.errors[4].span), "[profile b");
    let ok = section(&file, SectionKind::Profile, "ok");
    assert_eq!(value(ok, "region"), "us-west-2");
    assert!(section(&file, SectionKind::Default, "default")
        .entries
        .is_empty());
    // Properties under a broken header go nowhere.
    assert!(file.sections.iter().all(|s| s.get("lost").is_none()));
}

#[test]
fn lines_the_sdks_do_not_read_are_kept_as_stray() {
    let text = "orphan = 1\n[ci\naws_secret_access_key = a\n[profile ok]\n\
                aws_access_key_id: b\nnot a property\nurl: https://x\n";
    let file = config(text);
    let stray: Vec<(Option<&str>, &str, String)> = file
        .stray
        .iter()
        .map(|s| {
            let section = s.section.map(|i| file.sections[i].name.as_str());
            (
                section,
                s.entry.key.as_str(),
                slice(text, &s.entry.value_span),
            )
        })
        .collect();
    assert_eq!(
        stray,
        [
            (None, "orphan", "1".to_owned()),
            (None, "aws_secret_access_key", "a".to_owned()),
            (Some("ok"), "aws_access_key_id", "b".to_owned()),
            (Some("ok"), "url", "https://x".to_owned()),
        ]
    );
    // They are errors (or under a header that is one) as before, and no setting.
    assert_eq!(file.errors.len(), 5);
    assert!(file.sections.iter().all(|s| s.entries.is_empty()));
    // A value put on the line below its key.
    let text = "[ci]\naws_secret_access_key =\n    value-below\n";
    let file = creds(text);
    assert_eq!(file.errors.len(), 1);
    let stray: Vec<(&str, String, usize)> = file
        .stray
        .iter()
        .map(|s| {
            (
                s.entry.key.as_str(),
                slice(text, &s.entry.value_span),
                s.entry.line,
            )
        })
        .collect();
    assert_eq!(
        stray,
        [("aws_secret_access_key", "value-below".to_owned(), 3)]
    );
}

#[test]
fn indented_line_first_is_an_error() {
    let file = config(" -continued\n[profile foo]\n -continued");
    let messages: Vec<&str> = file.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            MSG_INDENTED_BEFORE_SECTION,
            MSG_CONTINUATION_WITHOUT_PROPERTY
        ]
    );
}

#[test]
fn header_resets_continuation() {
    let file = config("[profile foo]\nname = value\n[profile foo]\n -continued");
    assert_eq!(file.errors.len(), 1);
    assert_eq!(file.errors[0].message, MSG_CONTINUATION_WITHOUT_PROPERTY);
    assert_eq!(value(&file.sections[0], "name"), "value");
}

#[test]
fn duplicate_keys_keep_both_and_last_wins() {
    let file = config("[profile foo]\nName = value\nname = value2\nNAME = value3\n");
    let foo = section(&file, SectionKind::Profile, "foo");
    assert_eq!(foo.entries.len(), 3);
    assert_eq!(value(foo, "name"), "value3");
    assert_eq!(foo.get("nAmE").map(|e| e.line), Some(4));
    assert!(foo.get("other").is_none());
}

#[test]
fn duplicate_sections_merge() {
    let text =
        "[profile foo]\nname = value\n[profile bar]\n[ profile foo ]\nname = value2\nx = 1\n";
    let file = config(text);
    assert_eq!(file.sections.len(), 2);
    let foo = section(&file, SectionKind::Profile, "foo");
    assert_eq!(foo.line, 1);
    assert_eq!(foo.header_span, 0..13);
    assert_eq!(value(foo, "name"), "value2");
    let lines: Vec<usize> = foo.entries.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 5, 6]);
    // `[default]` and `[profile default]` stay apart: precedence is the
    // caller's decision.
    let file = config("[default]\na = 1\n[profile default]\nb = 2\n[default]\nc = 3");
    assert_eq!(file.sections.len(), 2);
    assert_eq!(
        section(&file, SectionKind::Default, "default")
            .entries
            .len(),
        2
    );
}

#[test]
fn crlf_and_bom_positions() {
    let text = "\u{feff}[default]\r\nregion = eu-west-1\r\n\r\n[profile x] ; c\r\nrole_arn = arn:aws:iam::1:role/r\r\n  \r\nbad line\r\n";
    let file = config(text);
    let d = section(&file, SectionKind::Default, "default");
    assert_eq!(d.header_span, 3..12);
    assert_eq!(d.name_span, 4..11);
    assert_eq!(d.line, 1);
    let region = d
        .get("region")
        .map(|e| (e.line, e.key_span.clone(), e.value_span.clone()));
    assert_eq!(region, Some((2, 14..20, 23..32)));
    assert_eq!(slice(text, &(23..32)), "eu-west-1");
    let x = section(&file, SectionKind::Profile, "x");
    assert_eq!(x.line, 4);
    assert_eq!(slice(text, &x.header_span), "[profile x]");
    let Some(role) = x.get("role_arn") else {
        panic!("no role_arn")
    };
    assert_eq!(role.line, 5);
    assert_eq!(role.value, "arn:aws:iam::1:role/r");
    assert_eq!(slice(text, &role.value_span), "arn:aws:iam::1:role/r");
    assert_eq!(file.errors.len(), 1);
    assert_eq!(file.errors[0].line, 7);
    assert_eq!(slice(text, &file.errors[0].span), "bad line");
}

#[test]
fn crlf_continuation_does_not_keep_carriage_returns() {
    let text = "[profile a]\r\nk = v\r\n  more\r\n";
    let file = config(text);
    assert_eq!(value(&file.sections[0], "k"), "v\nmore");
    let span = file.sections[0].entries[0].value_span.clone();
    assert_eq!(slice(text, &span), "v\r\n  more");
}

#[test]
fn no_trailing_newline() {
    let text = "[profile a]\nregion = us-east-1";
    let file = config(text);
    let span = file.sections[0].entries[0].value_span.clone();
    assert_eq!(span.end, text.len());
    let file = config("[profile a");
    assert_eq!(file.errors.len(), 1);
    assert_eq!(file.errors[0].span, 0..10);
}

#[test]
fn unicode_values_keep_byte_spans() {
    let text = "[profile ü]\n[profile foo]\nname = 😂 héllo # c\n";
    let file = config(text);
    assert_eq!(file.sections[0].kind, SectionKind::Other);
    let foo = section(&file, SectionKind::Profile, "foo");
    let span = foo.entries[0].value_span.clone();
    assert_eq!(slice(text, &span), "😂 héllo");
}

#[test]
fn debug_never_shows_secrets() {
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let cont = "CONTINUEDSECRETPART";
    let sub = "SUBSECRETVALUE";
    let text = format!(
        "[default]\naws_secret_access_key = {secret}\ntoken = abc\n {cont}\n\
         s3 =\n  k = {sub}\n{secret}\n = {secret}\n[{secret}\n"
    );
    for kind in [FileKind::Config, FileKind::Credentials] {
        let file = parse_ini(&text, kind);
        let shown = format!("{file:?} {file:#?}");
        for hidden in [secret, cont, sub] {
            assert!(!shown.contains(hidden), "{hidden} leaked: {shown}");
        }
        assert!(shown.contains("<redacted len 40>"));
        assert!(!file.errors.is_empty());
        for err in &file.errors {
            assert!(!err.message.contains(secret));
            assert_eq!(err.message, err.message.to_lowercase());
        }
    }
}

#[test]
fn never_panics_and_spans_stay_in_bounds() {
    let sample = "\u{feff}[ profile é ]\r\n a=ü\r\n[default\nk = 😂 # c\n  x\n\
                  s =\n\t y = ß ;z\n  w\n[]\n[;]\n= v\n\u{a0}k = v\n[profile\t]\n;c\n#c\n\r\r\n";
    for (end, _) in sample.char_indices().chain([(sample.len(), ' ')]) {
        let Some(text) = sample.get(..end) else {
            continue;
        };
        for kind in [FileKind::Config, FileKind::Credentials] {
            let file = parse_ini(text, kind);
            let mut spans = Vec::new();
            for s in &file.sections {
                spans.push(s.header_span.clone());
                spans.push(s.name_span.clone());
                for e in &s.entries {
                    spans.push(e.key_span.clone());
                    spans.push(e.value_span.clone());
                    for sub in &e.sub {
                        spans.push(sub.key_span.clone());
                        spans.push(sub.value_span.clone());
                    }
                }
            }
            spans.extend(file.errors.iter().map(|e| e.span.clone()));
            for span in spans {
                assert!(text.get(span.clone()).is_some(), "{span:?} in {text:?}");
            }
            let _ = looks_like_aws_ini(text);
        }
    }
}

#[test]
fn sniffing() {
    assert!(looks_like_aws_ini("[default]\n"));
    assert!(looks_like_aws_ini("# c\n[ profile dev ]\n"));
    assert!(looks_like_aws_ini("[sso-session corp]\n"));
    assert!(looks_like_aws_ini(
        "[ci]\naws_access_key_id = AKIDEXAMPLE\n"
    ));
    assert!(looks_like_aws_ini("\u{feff}[x]\r\nRegion=us-east-1\r\n"));
    assert!(!looks_like_aws_ini(""));
    assert!(
        !looks_like_aws_ini("region = us-east-1\n"),
        "not in a section"
    );
    assert!(!looks_like_aws_ini("[server]\nport = 80\n"));
    assert!(!looks_like_aws_ini("{\"Version\": \"2012-10-17\"}"));
    assert!(!looks_like_aws_ini("[profilefoo]\n[1, 2, 3]\n"));
    // A credential key marks the file wherever it is, `=` or `:`.
    assert!(looks_like_aws_ini("[ci\naws_secret_access_key = x\n"));
    assert!(looks_like_aws_ini("[x]\naws_access_key_id: x\n"));
    assert!(!looks_like_aws_ini("[server]\nregion: x\n"));
    // Only the first 64 KiB count, and a cut inside a character is fine.
    let mut big = String::from("a");
    big.push_str(&"é".repeat(SNIFF_LIMIT / 2 + 7));
    big.push_str("\n[default]\n");
    assert!(!looks_like_aws_ini(&big));
    let mut early = String::from("[default]\n");
    early.push_str(&"x".repeat(1 << 20));
    assert!(looks_like_aws_ini(&early));
}
