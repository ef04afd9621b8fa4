#!/usr/bin/python
# -*- coding: utf-8 -*-
"""Enrols or revokes one client of a rotating nftknock door through nftknock client add/revoke --json."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: nftknock_client
short_description: Enrol or revoke a client of an nftknock rotating door
version_added: "1.0.0"
description:
  - Wraps C(nftknock client add --json) and C(nftknock client revoke --json) on the host, so one task enrols a person on every host of a play and returns their link.
  - Idempotent. A client the config already lists is left as it is (its link was returned when it was enrolled and cannot be printed again); a client it does not list is not revoked.
  - The returned link and profile carry the client's secret; give the task C(no_log) or hand the link on without printing it.
options:
  name:
    description: The client's name, a lowercase letter then up to 31 of a-z, 0-9, '.', '-', '_'.
    type: str
    required: true
  state:
    description: C(present) enrols the client, C(absent) revokes it (its secret is moved aside to NAME.secret.revoked).
    type: str
    choices: [present, absent]
    default: present
  config:
    description: The server config on the host.
    type: path
    default: /etc/nftknock/nftknock.yaml
  door:
    description: The door (default the config's only rotating door).
    type: str
  host:
    description: HOST[:PORT] the client connects to, written into the link (default the host's name and the door's port).
    type: str
  secret_dir:
    description: Where the secret is written (default clients/ beside the config).
    type: path
  expires:
    description: The client's expires key, a date or date-time.
    type: str
  days:
    description: The client's days key, such as mon,tue,wed,thu,fri.
    type: str
  hours:
    description: The client's hours key, such as 08:00-18:00.
    type: str
  grant_prefix:
    description: What the client's knock opens, such as ipv4:24,ipv6:64.
    type: str
  apply:
    description: Apply the config at once (with apply's lock-out guard); a revoke also closes the grants the client's knocks opened.
    type: bool
    default: true
  nftknock:
    description: The nftknock program on the host.
    type: path
    default: /usr/bin/nftknock
author:
  - nftknock contributors
notes:
  - Supports check mode. Run commands in another run directory with the task's C(environment) (NFTKNOCK_RUN_DIR, NFTKNOCK_STATE_DIR).
"""

EXAMPLES = r"""
- name: Enrol alice on every bastion
  nftknock.nftknock.nftknock_client:
    name: alice
    host: "{{ inventory_hostname }}"
  register: alice
  no_log: true

- name: Revoke bob everywhere
  nftknock.nftknock.nftknock_client:
    name: bob
    state: absent
"""

RETURN = r"""
link:
  description: The client's link (nftknock import LINK on the client); only when the client was enrolled by this task or the door is static.
  returned: state is present
  type: str
profile:
  description: The client's profile as YAML for client.yaml.
  returned: state is present and a link was returned
  type: str
door:
  description: The client's door.
  returned: when the client was enrolled or revoked
  type: str
shared:
  description: True for a static door, which has one sequence for everyone and enrols nobody.
  returned: state is present
  type: bool
secret_file:
  description: Where the client's secret was written.
  returned: when the client was enrolled
  type: str
secret_moved_to:
  description: Where the revoked client's secret was moved.
  returned: when the client was revoked
  type: str
applied:
  description: Whether the config was applied in the same step.
  returned: when the client was enrolled or revoked
  type: bool
closed:
  description: Grants closed because the revoked client's knocks opened them.
  returned: when the client was revoked
  type: list
  elements: str
"""

import json

from ansible.module_utils.basic import AnsibleModule


def run_json(module, args):
    """Runs nftknock with args; its JSON on success, or fails the task with its one line."""
    rc, out, err = module.run_command([module.params["nftknock"]] + args)
    if rc != 0:
        module.fail_json(msg=err.strip() or out.strip() or "nftknock exited %d" % rc, rc=rc, cmd=args)
    try:
        return json.loads(out)
    except ValueError:
        module.fail_json(msg="nftknock printed no JSON: %s" % out.strip(), rc=rc)
    return None


def enrolled(module):
    """The names of the clients the config lists now."""
    listed = run_json(module, ["client", "list", "--json", "--config", module.params["config"]])
    return set(c.get("name") for c in listed.get("clients", []))


def add_args(params):
    args = ["client", "add", params["name"], "--json", "--config", params["config"]]
    for key, option in (("door", "--door"), ("host", "--host"), ("secret_dir", "--secret-dir"),
                        ("expires", "--expires"), ("days", "--days"), ("hours", "--hours"),
                        ("grant_prefix", "--grant-prefix")):
        if params[key] is not None:
            args += [option, params[key]]
    if params["apply"]:
        args.append("--apply")
    return args


def present(module, names):
    params = module.params
    if params["name"] in names:
        return dict(changed=False, link=None, msg="%s is enrolled already" % params["name"])
    if module.check_mode:
        return dict(changed=True, link=None)
    added = run_json(module, add_args(params))
    return dict(changed=not added.get("shared", False), **added)


def absent(module, names):
    params = module.params
    if params["name"] not in names:
        return dict(changed=False)
    if module.check_mode:
        return dict(changed=True)
    args = ["client", "revoke", params["name"], "--json", "--config", params["config"]]
    if params["apply"]:
        args.append("--apply")
    return dict(changed=True, **run_json(module, args))


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            config=dict(type="path", default="/etc/nftknock/nftknock.yaml"),
            door=dict(type="str"),
            host=dict(type="str"),
            secret_dir=dict(type="path"),
            expires=dict(type="str"),
            days=dict(type="str"),
            hours=dict(type="str"),
            grant_prefix=dict(type="str"),
            apply=dict(type="bool", default=True),
            nftknock=dict(type="path", default="/usr/bin/nftknock"),
        ),
        supports_check_mode=True,
    )
    names = enrolled(module)
    result = present(module, names) if module.params["state"] == "present" else absent(module, names)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
