//! A fake of GitHub's GraphQL endpoint for `groupdir sync`, on 127.0.0.1. It checks each query
//! against the documented schema (`tests/fixtures/sync/github-schema.graphql`, a part of
//! GitHub's), runs it on repositories held in memory and answers as GitHub does: aliases,
//! cursors and `pageInfo`, `rateLimit` and the `x-ratelimit-*` headers, `errors` with
//! `type: NOT_FOUND` for a repository it does not have. Or it answers with a fault the test
//! asks for: GitHub's 502 HTML page, a 403 secondary rate limit with `retry-after`, a body cut
//! off half-way, a 401.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use graphql_parser::query::{
    Definition, Document, OperationDefinition, Selection, SelectionSet, TypeCondition, Value as Gql,
};
use graphql_parser::schema::{self, Type, TypeDefinition};
use serde_json::{Map, Value, json};

/// The token the fake accepts.
pub const TOKEN: &str = "ghp_fake0123456789";

/// When the fake's rate limit resets, as GitHub writes it in `rateLimit` and the headers.
const RESET_AT: &str = "2026-11-27T16:00:00Z";
const RESET_EPOCH: u64 = 1_795_795_200;

/// An answer other than the query's result.
#[derive(Debug, Clone)]
pub enum Fault {
    /// 502 with GitHub's HTML error page, as its front end sends when the API is unwell.
    BadGatewayHtml,
    /// 403 with `retry-after`: GitHub's secondary rate limit.
    SecondaryLimit { retry_after: u64 },
    /// The real answer's headers and half its body, then the connection closes.
    CutOff,
    /// 401 Bad credentials, whatever the token.
    Unauthorized,
    /// 200 with no `data` and one error of the whole query carrying this message.
    QueryError(String),
}

struct State {
    repos: BTreeMap<String, Value>,
    queued: VecDeque<Fault>,
    always: Option<Fault>,
    /// The JSON body of every request, in order.
    requests: Vec<Value>,
    remaining: u32,
}

/// The running fake; it stops when dropped.
pub struct FakeGitHub {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FakeGitHub {
    pub fn start() -> FakeGitHub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("a bound address");
        let state = Arc::new(Mutex::new(State {
            repos: BTreeMap::new(),
            queued: VecDeque::new(),
            always: None,
            requests: Vec::new(),
            remaining: 5000,
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (state, stop) = (Arc::clone(&state), Arc::clone(&stop));
            std::thread::spawn(move || {
                let schema = Schema::load();
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        serve(stream, &state, &schema);
                    }
                }
            })
        };
        FakeGitHub {
            addr,
            state,
            stop,
            thread: Some(thread),
        }
    }

    /// The endpoint, for `GITHUB_GRAPHQL_URL`.
    pub fn url(&self) -> String {
        format!("http://{}/graphql", self.addr)
    }

    /// Adds or replaces a repository.
    pub fn put(&self, repo: Repo) {
        self.lock().repos.insert(repo.name, repo.value);
    }

    /// Deletes a repository: queries for it then get `NOT_FOUND`.
    pub fn delete(&self, name: &str) {
        self.lock().repos.remove(name);
    }

    /// The next request gets `fault` instead of its answer.
    pub fn queue(&self, fault: Fault) {
        self.lock().queued.push_back(fault);
    }

    /// Every request gets `fault`, until `None`.
    pub fn always(&self, fault: Option<Fault>) {
        self.lock().always = fault;
    }

    pub fn set_remaining(&self, remaining: u32) {
        self.lock().remaining = remaining;
    }

    /// How many requests arrived.
    pub fn requests(&self) -> usize {
        self.lock().requests.len()
    }

    /// The GraphQL query text of request `n` (0-based).
    pub fn query(&self, n: usize) -> String {
        self.lock().requests[n]["query"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for FakeGitHub {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A repository as GitHub's objects show it, built up by the test.
pub struct Repo {
    name: String,
    value: Value,
}

/// A day as GitHub's `DateTime`, in the afternoon UTC.
fn at(day: &str) -> String {
    format!("{day}T15:00:00Z")
}

impl Repo {
    pub fn new(name: &str) -> Repo {
        let value = json!({
            "nameWithOwner": name,
            "url": format!("https://github.com/{name}"),
            "discussions": [],
            "issues": [],
            "pullRequests": [],
            "files": {},
            "defaultBranchRef": { "name": "main", "target": {
                "__typename": "Commit", "oid": "0".repeat(40), "history": []
            } },
        });
        Repo {
            name: name.to_string(),
            value,
        }
    }

    fn push(&mut self, list: &str, item: Value) {
        self.value[list].as_array_mut().expect("a list").push(item);
    }

    pub fn discussion(mut self, n: u32, category: &str, title: &str, created: &str) -> Repo {
        let url = format!("https://github.com/{}/discussions/{n}", self.name);
        self.push("discussions", json!({
            "number": n, "title": title, "url": url, "createdAt": at(created), "updatedAt": at(created),
            "author": person(),
            "category": { "name": category, "slug": category.to_lowercase().replace(' ', "-") },
            "labels": [],
        }));
        self
    }

    pub fn issue(mut self, n: u32, title: &str, updated: &str, labels: &[&str]) -> Repo {
        let url = format!("https://github.com/{}/issues/{n}", self.name);
        self.push("issues", json!({
            "number": n, "title": title, "url": url, "createdAt": at("2026-01-05"),
            "updatedAt": at(updated), "closedAt": null, "state": "OPEN", "labels": names(labels),
            "author": person(), "comments": [comment(updated, person())],
        }));
        self
    }

    pub fn pull(
        mut self,
        n: u32,
        title: &str,
        updated: &str,
        merged: Option<&str>,
        labels: &[&str],
    ) -> Repo {
        let url = format!("https://github.com/{}/pull/{n}", self.name);
        self.push("pullRequests", json!({
            "number": n, "title": title, "url": url, "createdAt": at("2026-01-05"),
            "updatedAt": at(updated), "mergedAt": merged.map(at), "merged": merged.is_some(),
            "closedAt": merged.map(at), "state": if merged.is_some() { "MERGED" } else { "OPEN" },
            "author": person(), "mergedBy": merged.map(|_| person()),
            "comments": [comment(updated, person())], "reviews": [],
            "labels": names(labels),
        }));
        self
    }

    /// A file on the default branch, as a `Blob` with its text (`object(expression: "HEAD:path")`).
    pub fn file(mut self, path: &str, text: &str) -> Repo {
        self.value["files"][path] = json!({
            "__typename": "Blob", "oid": "b".repeat(40), "byteSize": text.len(),
            "isBinary": false, "isTruncated": false, "text": text,
        });
        self
    }

    /// Sets `key` of the last item added to `list` (`issues`, `discussions`…) to `value`: for
    /// answers GitHub should never give, such as an address that is not one.
    pub fn set_last(mut self, list: &str, key: &str, value: Value) -> Repo {
        let items = self.value[list].as_array_mut().expect("a list");
        items.last_mut().expect("an item")[key] = value;
        self
    }

    /// Sets the author of the newest commit: a name and, when GitHub knows it, an account.
    pub fn commit_author(mut self, name: &str, login: Option<&str>) -> Repo {
        let history = self.value["defaultBranchRef"]["target"]["history"]
            .as_array_mut()
            .expect("a history");
        let user = login.map(|l| json!({ "__typename": "User", "login": l }));
        history[0]["author"] = json!({ "name": name, "user": user });
        self
    }

    /// A commit on the default branch; the history stays newest first, as GitHub gives it.
    pub fn commit(mut self, n: u32, headline: &str, date: &str) -> Repo {
        let oid = format!("{n:040x}");
        let url = format!("https://github.com/{}/commit/{oid}", self.name);
        let history = self.value["defaultBranchRef"]["target"]["history"]
            .as_array_mut()
            .expect("a history");
        history.push(json!({
            "__typename": "Commit", "oid": oid, "url": url, "messageHeadline": headline,
            "committedDate": at(date), "history": [],
            "author": { "name": "Octo Cat", "user": { "__typename": "User", "login": "octocat" } },
        }));
        history.sort_by(|a, b| {
            b["committedDate"]
                .as_str()
                .cmp(&a["committedDate"].as_str())
        });
        self
    }
}

/// A person, as GitHub's `Actor` reports one.
pub fn person() -> Value {
    json!({ "__typename": "User", "login": "octocat" })
}

/// A bot, as GitHub's `Actor` reports one.
pub fn bot() -> Value {
    json!({ "__typename": "Bot", "login": "github-actions" })
}

/// A comment on `day` by `author`.
pub fn comment(day: &str, author: Value) -> Value {
    json!({ "createdAt": at(day), "author": author })
}

fn names(labels: &[&str]) -> Value {
    labels.iter().map(|l| json!({ "name": l })).collect()
}

/// Handles one connection: one request, one answer, then the connection closes.
fn serve(mut stream: TcpStream, state: &Mutex<State>, schema: &Schema) {
    let Some((authorization, body)) = read_request(&stream) else {
        return;
    };
    let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    state.requests.push(request.clone());
    let fault = state.queued.pop_front().or_else(|| state.always.clone());
    let token_ok = authorization
        .split_once(' ')
        .is_some_and(|(scheme, token)| {
            ["bearer", "token"].contains(&scheme.to_ascii_lowercase().as_str()) && token == TOKEN
        });
    let (status, headers, body) = match fault {
        Some(Fault::Unauthorized) => unauthorized(),
        _ if !token_ok => unauthorized(),
        Some(Fault::BadGatewayHtml) => (
            "502 Bad Gateway",
            vec![("Content-Type", "text/html".to_string())],
            "<!DOCTYPE html>\n<html><head><title>Unicorn! · GitHub</title></head><body><h1>502 Bad Gateway</h1><p>We had issues producing the response to your request.</p></body></html>\n".to_string(),
        ),
        Some(Fault::SecondaryLimit { retry_after }) => (
            "403 Forbidden",
            vec![
                ("Content-Type", "application/json; charset=utf-8".to_string()),
                ("retry-after", retry_after.to_string()),
            ],
            json!({
                "documentation_url": "https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api#secondary-rate-limits",
                "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
            })
            .to_string(),
        ),
        Some(Fault::QueryError(message)) => (
            "200 OK",
            vec![("Content-Type", "application/json; charset=utf-8".to_string())],
            json!({ "data": null, "errors": [{ "message": message }] }).to_string(),
        ),
        Some(Fault::CutOff) | None => {
            let answer = schema.answer(&request, &state.repos, state.remaining);
            state.remaining = state.remaining.saturating_sub(1);
            let headers = vec![
                ("Content-Type", "application/json; charset=utf-8".to_string()),
                ("x-ratelimit-limit", "5000".to_string()),
                ("x-ratelimit-remaining", state.remaining.to_string()),
                ("x-ratelimit-reset", RESET_EPOCH.to_string()),
                ("x-ratelimit-used", (5000 - state.remaining).to_string()),
                ("x-ratelimit-resource", "graphql".to_string()),
            ];
            if matches!(fault, Some(Fault::CutOff)) {
                let body = answer.to_string();
                let head = head("200 OK", &headers, body.len());
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body.as_bytes()[..body.len() / 2]);
                let _ = stream.flush();
                let _ = stream.shutdown(Shutdown::Both);
                return;
            }
            ("200 OK", headers, answer.to_string())
        }
    };
    drop(state);
    let _ = stream.write_all(head(status, &headers, body.len()).as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}

fn unauthorized() -> (&'static str, Vec<(&'static str, String)>, String) {
    (
        "401 Unauthorized",
        vec![("Content-Type", "application/json; charset=utf-8".to_string())],
        json!({ "message": "Bad credentials", "documentation_url": "https://docs.github.com/graphql" })
            .to_string(),
    )
}

fn head(status: &str, headers: &[(&str, String)], length: usize) -> String {
    let mut head = format!("HTTP/1.1 {status}\r\nServer: GitHub.com\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {length}\r\n\r\n"));
    head
}

/// Reads a POST: its `Authorization` header and its body.
fn read_request(stream: &TcpStream) -> Option<(String, Vec<u8>)> {
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    if !line.starts_with("POST ") {
        return None;
    }
    let (mut length, mut authorization) = (0, String::new());
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().ok()?,
            "authorization" => authorization = value.trim().to_string(),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((authorization, body))
}

/// The schema the fake knows, by type name.
struct Schema {
    types: HashMap<String, TypeDefinition<'static, String>>,
}

type Field = schema::Field<'static, String>;

fn named<'a>(ty: &'a Type<'static, String>) -> &'a str {
    match ty {
        Type::NamedType(name) => name,
        Type::ListType(inner) | Type::NonNullType(inner) => named(inner),
    }
}

impl Schema {
    fn load() -> Schema {
        let text: &'static str = include_str!("../fixtures/sync/github-schema.graphql");
        let document =
            graphql_parser::parse_schema::<String>(text).expect("the schema subset parses");
        let types = document
            .definitions
            .into_iter()
            .filter_map(|d| match d {
                schema::Definition::TypeDefinition(t) => Some(t),
                _ => None,
            })
            .map(|t| (type_name(&t).to_string(), t))
            .collect();
        Schema { types }
    }

    fn field(&self, type_name: &str, field: &str) -> Option<&Field> {
        let fields = match self.types.get(type_name)? {
            TypeDefinition::Object(o) => &o.fields,
            TypeDefinition::Interface(i) => &i.fields,
            _ => return None,
        };
        fields.iter().find(|f| f.name == field)
    }

    fn is_composite(&self, type_name: &str) -> bool {
        matches!(
            self.types.get(type_name),
            Some(TypeDefinition::Object(_) | TypeDefinition::Interface(_))
        )
    }

    /// GitHub's answer to one request body: validation errors alone, or `data` and the errors
    /// of what could not be resolved.
    fn answer(&self, request: &Value, repos: &BTreeMap<String, Value>, remaining: u32) -> Value {
        let Some(query) = request["query"].as_str() else {
            return json!({ "errors": [{ "message": "A query attribute must be specified and must be a string." }] });
        };
        let document: Document<'_, String> = match graphql_parser::parse_query(query) {
            Ok(document) => document,
            Err(e) => return json!({ "errors": [{ "message": format!("Parse error: {e}") }] }),
        };
        let Some(Definition::Operation(OperationDefinition::Query(operation))) =
            document.definitions.first()
        else {
            return json!({ "errors": [{ "message": "the fake answers one named query" }] });
        };
        let declared: HashMap<String, &Type<'_, String>> = operation
            .variable_definitions
            .iter()
            .map(|v| (v.name.clone(), &v.var_type))
            .collect();
        let operation_name = operation
            .name
            .clone()
            .unwrap_or_else(|| "anonymous".to_string());
        let mut check = Check {
            schema: self,
            operation: &operation_name,
            declared: &declared,
            used: HashSet::new(),
            errors: Vec::new(),
        };
        check.selections("Query", &operation.selection_set);
        for name in declared.keys() {
            if !check.used.contains(name) {
                check.error(format!(
                    "Variable ${name} is declared by {operation_name} but not used"
                ));
            }
        }
        if !check.errors.is_empty() {
            return json!({ "errors": check.errors });
        }
        let variables = request["variables"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut run = Run {
            schema: self,
            variables: &variables,
            repos,
            remaining,
            errors: Vec::new(),
        };
        let data = run.selections("Query", &Value::Null, &operation.selection_set, &[]);
        let mut answer = json!({ "data": data });
        if !run.errors.is_empty() {
            answer["errors"] = Value::Array(run.errors);
        }
        answer
    }
}

fn type_name<'a>(t: &'a TypeDefinition<'static, String>) -> &'a str {
    match t {
        TypeDefinition::Scalar(t) => &t.name,
        TypeDefinition::Object(t) => &t.name,
        TypeDefinition::Interface(t) => &t.name,
        TypeDefinition::Union(t) => &t.name,
        TypeDefinition::Enum(t) => &t.name,
        TypeDefinition::InputObject(t) => &t.name,
    }
}

/// Static validation, as GitHub does before running anything.
struct Check<'a> {
    schema: &'a Schema,
    operation: &'a str,
    declared: &'a HashMap<String, &'a Type<'a, String>>,
    used: HashSet<String>,
    errors: Vec<Value>,
}

impl Check<'_> {
    fn error(&mut self, message: String) {
        self.errors.push(json!({ "message": message }));
    }

    fn selections(&mut self, on: &str, set: &SelectionSet<'_, String>) {
        for selection in &set.items {
            match selection {
                Selection::Field(f) if f.name == "__typename" => {}
                Selection::Field(f) => {
                    let Some(def) = self.schema.field(on, &f.name) else {
                        self.error(format!("Field '{}' doesn't exist on type '{on}'", f.name));
                        continue;
                    };
                    for (name, value) in &f.arguments {
                        match def.arguments.iter().find(|a| &a.name == name) {
                            Some(arg) => self.value(value, &arg.value_type),
                            None => self.error(format!(
                                "Field '{}' doesn't accept argument '{name}'",
                                f.name
                            )),
                        }
                    }
                    for arg in &def.arguments {
                        let required = matches!(arg.value_type, Type::NonNullType(_))
                            && arg.default_value.is_none();
                        if required && !f.arguments.iter().any(|(n, _)| n == &arg.name) {
                            self.error(format!(
                                "Field '{}' is missing required arguments: {}",
                                f.name, arg.name
                            ));
                        }
                    }
                    let inner = named(&def.field_type);
                    match (self.schema.is_composite(inner), f.selection_set.items.is_empty()) {
                        (true, true) => self.error(format!(
                            "Field must have selections (field '{}' returns {inner} but has no selections.)",
                            f.name
                        )),
                        (false, false) => self.error(format!(
                            "Selections can't be made on scalars (field '{}' returns {inner} but has selections)",
                            f.name
                        )),
                        (true, false) => self.selections(inner, &f.selection_set),
                        (false, true) => {}
                    }
                }
                Selection::InlineFragment(fragment) => {
                    let Some(TypeCondition::On(on)) = &fragment.type_condition else {
                        self.selections(on, &fragment.selection_set);
                        continue;
                    };
                    if self.schema.is_composite(on) {
                        self.selections(on, &fragment.selection_set);
                    } else {
                        self.error(format!(
                            "No such type {on}, so it can't be a fragment condition"
                        ));
                    }
                }
                Selection::FragmentSpread(spread) => {
                    self.error(format!(
                        "Fragment {} was used, but not defined",
                        spread.fragment_name
                    ));
                }
            }
        }
    }

    /// Checks an argument's value against its type.
    fn value(&mut self, value: &Gql<'_, String>, ty: &Type<'static, String>) {
        match (value, ty) {
            (Gql::Variable(name), _) => {
                self.used.insert(name.clone());
                match self.declared.get(name) {
                    Some(declared) if fits(declared, ty) => {}
                    Some(declared) => self.error(format!(
                        "Type mismatch on variable ${name} and argument ({declared} / {ty})"
                    )),
                    None => self.error(format!(
                        "Variable ${name} is used by {} but not declared",
                        self.operation
                    )),
                }
            }
            (Gql::Null, Type::NonNullType(_)) => {
                self.error(format!("Argument of type {ty} can't be null"))
            }
            (_, Type::NonNullType(inner)) => self.value(value, inner),
            (Gql::Null, _) => {}
            (Gql::List(items), Type::ListType(inner)) => {
                for item in items {
                    self.value(item, inner);
                }
            }
            (_, Type::ListType(inner)) => self.value(value, inner),
            (_, Type::NamedType(name)) => self.named_value(value, name),
        }
    }

    fn named_value(&mut self, value: &Gql<'_, String>, name: &str) {
        match (value, self.schema.types.get(name)) {
            (Gql::Enum(v), Some(TypeDefinition::Enum(e)))
                if e.values.iter().any(|x| &x.name == v) => {}
            (Gql::Object(fields), Some(TypeDefinition::InputObject(input))) => {
                for (key, v) in fields {
                    match input.fields.iter().find(|f| &f.name == key) {
                        Some(field) => self.value(v, &field.value_type),
                        None => self.error(format!(
                            "InputObject '{name}' doesn't accept argument '{key}'"
                        )),
                    }
                }
                for field in &input.fields {
                    if matches!(field.value_type, Type::NonNullType(_))
                        && !fields.contains_key(&field.name)
                    {
                        self.error(format!(
                            "Argument '{}' on InputObject '{name}' is required",
                            field.name
                        ));
                    }
                }
            }
            (Gql::Int(_), _) if name == "Int" => {}
            (Gql::String(_), _)
                if ["String", "ID", "DateTime", "GitTimestamp", "URI"].contains(&name) => {}
            (Gql::Boolean(_), _) if name == "Boolean" => {}
            _ => self.error(format!("Argument value {value} is not a valid {name}")),
        }
    }
}

/// Whether a variable of type `var` may stand where `arg` is expected (GraphQL's rule).
fn fits(var: &Type<'_, String>, arg: &Type<'static, String>) -> bool {
    match (var, arg) {
        (Type::NonNullType(v), Type::NonNullType(a)) => fits(v, a),
        (_, Type::NonNullType(_)) => false,
        (Type::NonNullType(v), a) => fits(v, a),
        (Type::ListType(v), Type::ListType(a)) => fits(v, a),
        (Type::NamedType(v), Type::NamedType(a)) => v == a,
        _ => false,
    }
}

/// Running a validated query on the repositories.
struct Run<'a> {
    schema: &'a Schema,
    variables: &'a Map<String, Value>,
    repos: &'a BTreeMap<String, Value>,
    remaining: u32,
    errors: Vec<Value>,
}

impl Run<'_> {
    fn selections(
        &mut self,
        on: &str,
        object: &Value,
        set: &SelectionSet<'_, String>,
        path: &[Value],
    ) -> Value {
        let mut out = Map::new();
        for selection in &set.items {
            match selection {
                Selection::Field(f) => {
                    let key = f.alias.clone().unwrap_or_else(|| f.name.clone());
                    let mut here = path.to_vec();
                    here.push(json!(key));
                    let value = if f.name == "__typename" {
                        json!(on)
                    } else {
                        let args: Map<String, Value> = f
                            .arguments
                            .iter()
                            .map(|(name, v)| (name.clone(), self.json(v)))
                            .collect();
                        let def = self.schema.field(on, &f.name).expect("validated");
                        let line = f.position.line;
                        let column = f.position.column;
                        self.field(
                            on,
                            object,
                            &f.name,
                            def,
                            &args,
                            &f.selection_set,
                            &here,
                            (line, column),
                        )
                    };
                    out.insert(key, value);
                }
                Selection::InlineFragment(fragment) => {
                    let applies = match &fragment.type_condition {
                        Some(TypeCondition::On(t)) => t == on,
                        None => true,
                    };
                    if let (true, Value::Object(more)) = (
                        applies,
                        self.selections(on, object, &fragment.selection_set, path),
                    ) {
                        out.extend(more);
                    }
                }
                Selection::FragmentSpread(_) => unreachable!("rejected by validation"),
            }
        }
        Value::Object(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        on: &str,
        object: &Value,
        name: &str,
        def: &Field,
        args: &Map<String, Value>,
        set: &SelectionSet<'_, String>,
        path: &[Value],
        (line, column): (usize, usize),
    ) -> Value {
        let returns = named(&def.field_type);
        match (on, name) {
            ("Query", "rateLimit") => {
                let limit = json!({
                    "cost": 1, "limit": 5000, "nodeCount": 0, "remaining": self.remaining.saturating_sub(1),
                    "resetAt": RESET_AT, "used": 5000 - self.remaining.saturating_sub(1),
                });
                self.selections(returns, &limit, set, path)
            }
            ("Query", "repository") => {
                let full = format!(
                    "{}/{}",
                    args["owner"].as_str().unwrap_or_default(),
                    args["name"].as_str().unwrap_or_default()
                );
                match self.repos.get(&full) {
                    Some(repo) => self.selections(returns, repo, set, path),
                    None => {
                        self.errors.push(json!({
                            "type": "NOT_FOUND", "path": path,
                            "locations": [{ "line": line, "column": column }],
                            "message": format!("Could not resolve to a Repository with the name '{full}'."),
                        }));
                        Value::Null
                    }
                }
            }
            ("Repository", "object") => {
                // `HEAD:path` or `branch:path`, as GitHub reads an expression.
                let expression = args["expression"].as_str().unwrap_or_default();
                let file = expression.split_once(':').map_or("", |(_, f)| f);
                let blob = object["files"].get(file).cloned().unwrap_or(Value::Null);
                self.object_or_list(returns, &blob, set, path)
            }
            _ if returns.ends_with("Connection") => {
                let items = object[name].as_array().cloned().unwrap_or_default();
                match connection(name, items, args) {
                    Ok(page) => self.selections(returns, &page, set, path),
                    Err(message) => {
                        self.errors
                            .push(json!({ "path": path, "message": message }));
                        Value::Null
                    }
                }
            }
            _ => {
                let value = object.get(name).cloned().unwrap_or(Value::Null);
                if !self.schema.is_composite(returns) {
                    return value;
                }
                self.object_or_list(returns, &value, set, path)
            }
        }
    }

    /// A composite value: null, an object, or a list of them, each resolved on its own type.
    fn object_or_list(
        &mut self,
        returns: &str,
        value: &Value,
        set: &SelectionSet<'_, String>,
        path: &[Value],
    ) -> Value {
        match value {
            Value::Null => Value::Null,
            Value::Array(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let mut here = path.to_vec();
                    here.push(json!(i));
                    out.push(self.object_or_list(returns, item, set, &here));
                }
                Value::Array(out)
            }
            _ => {
                // An interface's value names its own type.
                let concrete = value["__typename"].as_str().unwrap_or(returns).to_string();
                self.selections(&concrete, value, set, path)
            }
        }
    }

    /// An argument's value as JSON, variables filled in.
    fn json(&self, value: &Gql<'_, String>) -> Value {
        match value {
            Gql::Variable(name) => self.variables.get(name).cloned().unwrap_or(Value::Null),
            Gql::Int(n) => json!(n.as_i64()),
            Gql::Float(f) => json!(f),
            Gql::String(s) => json!(s),
            Gql::Boolean(b) => json!(b),
            Gql::Null => Value::Null,
            Gql::Enum(e) => json!(e),
            Gql::List(items) => items.iter().map(|i| self.json(i)).collect(),
            Gql::Object(fields) => fields
                .iter()
                .map(|(k, v)| (k.clone(), self.json(v)))
                .collect::<Map<_, _>>()
                .into(),
        }
    }
}

const CURSOR_PREFIX: &str = "Y3Vyc29yOnYyOpHO";

/// One page of a list, with GitHub's rules for `first`, `after`, `orderBy` and `labels`.
fn connection(
    name: &str,
    mut items: Vec<Value>,
    args: &Map<String, Value>,
) -> Result<Value, String> {
    if let Some(wanted) = args.get("labels").and_then(Value::as_array) {
        let wanted: Vec<String> = wanted
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_lowercase)
            .collect();
        items.retain(|item| {
            item["labels"].as_array().is_some_and(|labels| {
                labels.iter().any(|l| {
                    l["name"]
                        .as_str()
                        .is_some_and(|n| wanted.contains(&n.to_lowercase()))
                })
            })
        });
    }
    if let Some(order) = args.get("orderBy").filter(|o| !o.is_null()) {
        let key = match order["field"].as_str() {
            Some("CREATED_AT") => "createdAt",
            _ => "updatedAt",
        };
        items.sort_by(|a, b| a[key].as_str().cmp(&b[key].as_str()));
        if order["direction"] == "DESC" {
            items.reverse();
        }
    }
    if let (None, Some(last)) = (
        args.get("first").and_then(Value::as_i64),
        args.get("last").and_then(Value::as_i64),
    ) {
        // The newest `last` items, in their own order, as GitHub gives a list's tail.
        let skip = items.len().saturating_sub(last.max(0) as usize);
        let tail: Vec<Value> = items.into_iter().skip(skip).collect();
        return Ok(json!({
            "nodes": tail,
            "totalCount": skip + last as usize,
            "pageInfo": { "hasNextPage": false, "hasPreviousPage": skip > 0, "startCursor": null, "endCursor": null },
        }));
    }
    let first = match args.get("first").and_then(Value::as_i64) {
        None => {
            return Err(format!(
                "You must provide a `first` or `last` value to properly paginate the `{name}` connection."
            ));
        }
        Some(n) if !(0..=100).contains(&n) => {
            return Err(format!(
                "Requesting {n} records on the `{name}` connection exceeds the `first` limit of 100 records."
            ));
        }
        Some(n) => n as usize,
    };
    let start = match args.get("after").and_then(Value::as_str) {
        None => 0,
        Some(cursor) => cursor
            .strip_prefix(CURSOR_PREFIX)
            .and_then(|n| usize::from_str_radix(n, 16).ok())
            .map(|n| n + 1)
            .ok_or_else(|| format!("`{cursor}` does not appear to be a valid cursor."))?,
    };
    let total = items.len();
    let end = (start + first).min(total);
    let page: Vec<Value> = items
        .into_iter()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect();
    let cursor = |n: usize| json!(format!("{CURSOR_PREFIX}{n:08x}"));
    Ok(json!({
        "nodes": page,
        "totalCount": total,
        "pageInfo": {
            "hasNextPage": end < total,
            "hasPreviousPage": start > 0,
            "startCursor": if end > start { cursor(start) } else { Value::Null },
            "endCursor": if end > start { cursor(end - 1) } else { Value::Null },
        },
    }))
}
