-- Argo CD health check for parapet.dev/CloudAccount (resource.customizations.health.parapet.dev_CloudAccount).
-- Reads status.observedGeneration and the Ready condition the operator writes (docs/argocd.md).
local hs = {}
local function condition(obj, kind)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end
local function text(c)
  local reason = c.reason or ""
  local message = c.message or ""
  if reason ~= "" and message ~= "" then
    return reason .. ": " .. message
  end
  return reason .. message
end

local generation = obj.metadata.generation
if obj.status == nil or (generation ~= nil and (obj.status.observedGeneration == nil or obj.status.observedGeneration < generation)) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to reconcile this generation"
  return hs
end
local ready = condition(obj, "Ready")
if ready == nil or ready.status == "Unknown" then
  hs.status = "Progressing"
  hs.message = ready and text(ready) or "Waiting for the first scan"
  return hs
end
if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = text(ready)
  return hs
end
if ready.reason == "Suspended" then
  hs.status = "Suspended"
  hs.message = text(ready)
  return hs
end
hs.status = "Degraded"
hs.message = text(ready)
return hs
