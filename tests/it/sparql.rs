//! The SPARQL endpoint with a real HTTP client.

use crate::common::*;

#[test]
fn get_post_and_errors() {
    let dir = corpus_store();
    let server = Server::start(&dir.path().join("store"));
    let url = server.sparql();
    let q =
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/crimegraph/ontology#Statement> }";
    let (code, body) = curl(&["-G", &url, "--data-urlencode", &format!("query={q}")]);
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("\"bindings\""), "{body}");
    let (code, body) = curl(&[
        "-X",
        "POST",
        &url,
        "-H",
        "Content-Type: application/sparql-query",
        "-H",
        "Accept: text/csv",
        "--data-binary",
        q,
    ]);
    assert_eq!(code, 200);
    assert!(body.starts_with("n\r\n"), "{body}");
    let (code, _) = curl(&[
        "-X",
        "POST",
        &url,
        "--data-urlencode",
        &format!("query={q}"),
    ]);
    assert_eq!(code, 200);
    let (code, body) = curl(&["-G", &url, "--data-urlencode", "query=SELECT WHERE"]);
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("syntax"), "{body}");
    let (code, _) = curl(&[
        "-X",
        "POST",
        &url,
        "-H",
        "Content-Type: text/plain",
        "--data-binary",
        q,
    ]);
    assert_eq!(code, 415);
    let (code, _) = curl(&[
        "-G",
        &url,
        "-H",
        "Accept: image/png",
        "--data-urlencode",
        &format!("query={q}"),
    ]);
    assert_eq!(code, 406);
    let (code, body) = curl(&["-G", &url, "-H", "Accept: text/turtle", "--data-urlencode", "query=CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/crimegraph/ontology#Report> ; ?p ?o }"]);
    assert_eq!(code, 200);
    assert!(body.contains("Report"), "{body}");
}
