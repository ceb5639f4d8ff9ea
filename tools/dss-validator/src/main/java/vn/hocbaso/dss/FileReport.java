package vn.hocbaso.dss;

import eu.europa.esig.dss.diagnostic.SignatureWrapper;
import eu.europa.esig.dss.jaxb.object.Message;
import eu.europa.esig.dss.simplereport.SimpleReport;
import eu.europa.esig.dss.simplereport.jaxb.XmlSignatureScope;
import eu.europa.esig.dss.validation.reports.Reports;

import java.util.ArrayList;
import java.util.List;

/** One file's result as one JSON line, from DSS's simple report (plus the document-assigned Id and PDF field). */
final class FileReport {
  private FileReport() {}

  static String error(String file, String message) {
    return "{\"file\":" + Json.str(file) + ",\"error\":" + Json.str(message) + ",\"signatures\":[]}";
  }

  static String of(String file, Reports reports) {
    SimpleReport simple = reports.getSimpleReport();
    List<String> signatures = new ArrayList<>();
    for (String dssId : simple.getSignatureIdList()) {
      signatures.add(signature(dssId, simple, reports.getDiagnosticData().getSignatureById(dssId)));
    }
    return "{\"file\":" + Json.str(file) + ",\"signatures\":[" + String.join(",", signatures) + "]}";
  }

  private static String signature(String dssId, SimpleReport simple, SignatureWrapper wrapper) {
    String daId = wrapper == null ? null : wrapper.getDAIdentifier();
    List<String> fields = wrapper == null ? List.of() : wrapper.getSignatureFieldNames();
    List<String> scopes = new ArrayList<>();
    for (XmlSignatureScope scope : simple.getSignatureScopes(dssId)) scopes.add(scope.getName());
    return "{" + String.join(",",
        Json.field("id", daId != null ? daId : fields.isEmpty() ? dssId : fields.get(0)),
        Json.field("dssId", dssId),
        Json.field("format", String.valueOf(simple.getSignatureFormat(dssId))),
        Json.field("indication", String.valueOf(simple.getIndication(dssId))),
        Json.field("subIndication", simple.getSubIndication(dssId) == null ? null : simple.getSubIndication(dssId).name()),
        Json.field("signedBy", simple.getSignedBy(dssId)),
        Json.field("signingTime", simple.getSigningTime(dssId) == null ? null : simple.getSigningTime(dssId).toInstant().toString()),
        "\"fields\":" + Json.strings(fields),
        "\"scopes\":" + Json.strings(scopes),
        "\"errors\":" + messages(simple.getAdESValidationErrors(dssId)),
        "\"warnings\":" + messages(simple.getAdESValidationWarnings(dssId)),
        "\"infos\":" + messages(simple.getAdESValidationInfo(dssId))) + "}";
  }

  private static String messages(List<Message> messages) {
    List<String> values = new ArrayList<>();
    for (Message m : messages) values.add(m.getValue());
    return Json.strings(values);
  }
}
