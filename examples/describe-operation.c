/* describe-operation: what the model says about an operation
 *
 * Usage: describe-operation [SERVICE [OPERATION]]   (default: ec2 RunInstances)
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#include <stdio.h>

#include <boto-glib/boto-glib.h>

static const char *
type_name (BotoShape *shape)
{
  const char *name = boto_shape_get_type_name (shape);

  return name != NULL ? name : "?";
}

int
main (int   argc,
      char *argv[])
{
  const char *service = argc > 1 ? argv[1] : "ec2";
  const char *operation = argc > 2 ? argv[2] : "RunInstances";
  g_autoptr(GError) error = NULL;
  g_autoptr(BotoServiceModel) model = NULL;
  g_autoptr(BotoSession) session = boto_session_new ();
  g_auto(GStrv) operations = NULL;
  g_auto(GStrv) members = NULL;
  BotoOperationModel *op;
  BotoShape *input;

  printf ("session: region %s, profile %s\n",
          boto_session_get_region_name (session) != NULL ? boto_session_get_region_name (session) : "(none)",
          boto_session_get_profile_name (session));

  model = boto_service_model_load (service, &error);
  if (model == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  operations = boto_service_model_get_operation_names (model);
  printf ("%s %s: protocol %s, %u operations\n", service,
          boto_service_model_get_api_version (model),
          boto_service_model_get_protocol (model),
          g_strv_length (operations));

  op = boto_service_model_get_operation (model, operation, &error);
  if (op == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  printf ("%s: %s %s\n", operation,
          boto_operation_model_get_http_method (op),
          boto_operation_model_get_request_uri (op));

  input = boto_operation_model_get_input_shape (op);
  if (input == NULL)
    return 0;

  members = boto_shape_get_member_names (input);
  for (guint i = 0; members[i] != NULL; i++)
    {
      BotoShape *member = boto_shape_get_member (input, members[i]);
      const char *location = boto_shape_get_location (member);

      printf ("  %s%s: %s (%s)%s%s\n",
              members[i],
              boto_shape_is_member_required (input, members[i]) ? " [required]" : "",
              boto_shape_get_name (member), type_name (member),
              location != NULL ? " in " : "", location != NULL ? location : "");
    }

  return 0;
}
